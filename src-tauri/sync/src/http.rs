//! The HTTP client libdav speaks through: reqwest (the system's TLS and trust store), with the
//! account's credentials on every request and time limits, so a server that stops answering
//! ends a round with an error rather than hanging it. What went wrong on the wire (a time
//! limit, a certificate the system does not trust, no connection) is told apart here, in
//! words; the password never appears in them.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tower_service::Service;

use crate::SyncError;

/// How long the server may take: to accept a connection, to answer one request, and to go
/// through a whole round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub connect: Duration,
    /// One request; a multiget (100 cards, photos included) gets twice this.
    pub request: Duration,
    /// A whole round, both ways. What was done before it ran out is kept, and the next round
    /// goes on from there.
    pub round: Duration,
}

/// The environment variable that shortens (or lengthens) every limit for tests and slow
/// links: the seconds one request may take; connecting takes at most 10 s of it and a round
/// 30 times it.
pub const TIMEOUT_VARIABLE: &str = "KITH_SYNC_TIMEOUT";

impl Default for Limits {
    fn default() -> Limits {
        Limits::per_request(Duration::from_secs(30))
    }
}

impl Limits {
    /// The limits that follow from `request` for one request.
    pub fn per_request(request: Duration) -> Limits {
        Limits {
            connect: request.min(Duration::from_secs(10)),
            request,
            round: request * 30,
        }
    }

    /// The default limits, or those `KITH_SYNC_TIMEOUT` asks for.
    pub fn from_env() -> Limits {
        std::env::var(TIMEOUT_VARIABLE)
            .ok()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s > 0.0)
            .map_or_else(Limits::default, |s| {
                Limits::per_request(Duration::from_secs_f64(s))
            })
    }
}

#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    limits: Limits,
    user: String,
    password: String,
}

impl Http {
    pub fn new(user: &str, password: &str, limits: Limits) -> Result<Http, reqwest::Error> {
        Ok(Http {
            client: reqwest::Client::builder()
                .connect_timeout(limits.connect)
                .tcp_nodelay(true)
                .user_agent(concat!("Kith/", env!("CARGO_PKG_VERSION")))
                .build()?,
            limits,
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
        // A REPORT brings many cards at once.
        let limit = if parts.method.as_str() == "REPORT" {
            self.limits.request * 2
        } else {
            self.limits.request
        };
        let request = self
            .client
            .request(parts.method, parts.uri.to_string())
            .headers(parts.headers)
            .basic_auth(&self.user, Some(&self.password))
            .timeout(limit)
            .body(body);
        Box::pin(async move {
            let response = request.send().await?;
            Ok(http::Response::from(response))
        })
    }
}

/// What a failure on the wire (`error` and its causes) means for the user: a time limit, a
/// certificate the system does not trust, or no answer at all.
pub fn wire_error(error: &(dyn std::error::Error + 'static)) -> SyncError {
    let mut timed_out = false;
    let mut connecting = false;
    let mut untrusted = None;
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = cause {
        if let Some(r) = e.downcast_ref::<reqwest::Error>() {
            timed_out |= r.is_timeout();
            connecting |= r.is_connect();
        }
        let text = e.to_string();
        if untrusted.is_none() && certificate_refused(&text) {
            untrusted = Some(
                text.rsplit_once('(')
                    .map_or(text.as_str(), |(_, why)| why.trim_end_matches(')'))
                    .to_owned(),
            );
        }
        timed_out |= text.contains("timed out");
        cause = e.source();
    }
    if let Some(why) = untrusted {
        return SyncError::UntrustedCertificate(why);
    }
    if timed_out {
        return SyncError::TimedOut(
            if connecting {
                "it did not accept the connection in time"
            } else {
                "it did not answer in time"
            }
            .to_owned(),
        );
    }
    SyncError::Network(root_cause(error))
}

/// OpenSSL's words for a certificate chain the system's trust store does not vouch for.
fn certificate_refused(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    text.contains("certificate verify failed")
        || text.contains("self-signed certificate")
        || text.contains("self signed certificate")
        || text.contains("unable to get local issuer certificate")
        || text.contains("certificate has expired")
}

/// The innermost cause's words (reqwest's own only say "error sending request").
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut last = error;
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
}

#[cfg(test)]
mod tests {
    use super::Limits;
    use std::time::Duration;

    #[test]
    fn a_short_request_limit_shortens_connecting_and_the_round() {
        let l = Limits::per_request(Duration::from_secs(2));
        assert_eq!(l.connect, Duration::from_secs(2));
        assert_eq!(l.round, Duration::from_secs(60));
        let d = Limits::default();
        assert_eq!(d.connect, Duration::from_secs(10));
        assert_eq!(d.request, Duration::from_secs(30));
    }
}
