//! The HTTP client libdav speaks through: reqwest (the system's TLS and trust store), with the
//! account's credentials on every request and time limits, so a server that stops answering
//! ends a round with an error rather than hanging it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tower_service::Service;

/// How long connecting to the server may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one request may take in all (a multiget of 100 cards with photos included).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    user: String,
    password: String,
}

impl Http {
    pub fn new(user: &str, password: &str) -> Result<Http, reqwest::Error> {
        Ok(Http {
            client: reqwest::Client::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .tcp_nodelay(true)
                .timeout(REQUEST_TIMEOUT)
                .user_agent(concat!("Kith/", env!("CARGO_PKG_VERSION")))
                .build()?,
            user: user.to_owned(),
            password: password.to_owned(),
        })
    }
}

impl Service<http::Request<String>> for Http {
    type Response = http::Response<reqwest::Body>;
    type Error = reqwest::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<String>) -> Self::Future {
        let (parts, body) = request.into_parts();
        let request = self
            .client
            .request(parts.method, parts.uri.to_string())
            .headers(parts.headers)
            .basic_auth(&self.user, Some(&self.password))
            .body(body);
        Box::pin(async move {
            let response = request.send().await?;
            Ok(http::Response::from(response))
        })
    }
}
