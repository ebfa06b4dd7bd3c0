//! Xvfb, a private D-Bus, tauri-driver and the app, for one test.

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use thirtyfour::prelude::*;

pub type TestResult<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// A `data-testid` selector.
pub fn testid(id: &str) -> By {
    By::Css(format!("[data-testid='{id}']"))
}

/// Fails with `message` unless `condition` holds.
#[macro_export]
macro_rules! ensure {
    ($condition:expr, $($message:tt)+) => {
        if !$condition {
            return Err(format!($($message)+).into());
        }
    };
}

/// A child process in its own process group; the whole group is ended on drop.
struct Group {
    child: Child,
    what: &'static str,
}

impl Group {
    fn spawn(mut command: Command, what: &'static str) -> TestResult<Group> {
        command.process_group(0);
        // SAFETY: prctl is async-signal-safe; it only asks the kernel to end the child if
        // the test process dies without running its destructors (killed by a timeout).
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
                Ok(())
            });
        }
        let child = command
            .spawn()
            .map_err(|e| format!("cannot start {what}: {e}"))?;
        Ok(Group { child, what })
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let pgid = self.child.id() as i32;
        // SAFETY: kill(2) with a negative pid signals the group we created; no memory is touched.
        unsafe { libc::kill(-pgid, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        // SAFETY: as above; SIGKILL whatever is left of the group.
        unsafe { libc::kill(-pgid, libc::SIGKILL) };
        let _ = self.child.wait();
        let _ = self.what;
    }
}

/// The longest any single WebDriver request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

fn wait_until(deadline: Duration, what: &str, mut ready: impl FnMut() -> bool) -> TestResult {
    let end = Instant::now() + deadline;
    while Instant::now() < end {
        if ready() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    Err(format!("timed out after {deadline:?} waiting for {what}").into())
}

fn free_port() -> TestResult<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A private X server.
struct Xvfb {
    _group: Group,
    display: String,
}

impl Xvfb {
    fn start() -> TestResult<Xvfb> {
        let n = (99..400)
            .find(|n| !Path::new(&format!("/tmp/.X{n}-lock")).exists())
            .ok_or("no free X display number")?;
        let display = format!(":{n}");
        let mut cmd = Command::new("Xvfb");
        cmd.args([&display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let group = Group::spawn(cmd, "Xvfb (Debian package xvfb)")?;
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        wait_until(Duration::from_secs(10), "Xvfb", || socket.exists())?;
        Ok(Xvfb {
            _group: group,
            display,
        })
    }
}

/// A private D-Bus session bus. Its config has no service directories, so nothing is
/// auto-started on it: only what a test puts there answers.
pub struct Bus {
    _group: Group,
    _dir: tempfile::TempDir,
    pub address: String,
}

impl Bus {
    pub fn start() -> TestResult<Bus> {
        let dir = tempfile::tempdir()?;
        let socket = dir.path().join("bus");
        let config = dir.path().join("bus.conf");
        std::fs::write(
            &config,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
                socket.display()
            ),
        )?;
        let mut cmd = Command::new("dbus-daemon");
        cmd.arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut group = Group::spawn(cmd, "dbus-daemon (Debian package dbus)")?;
        let stdout = group
            .child
            .stdout
            .take()
            .ok_or("dbus-daemon has no stdout")?;
        let mut address = String::new();
        BufReader::new(stdout).read_line(&mut address)?;
        let address = address.trim().to_owned();
        if address.is_empty() {
            return Err("dbus-daemon did not print its address".into());
        }
        Ok(Bus {
            _group: group,
            _dir: dir,
            address,
        })
    }
}

/// Which session bus the app sees.
pub enum BusChoice<'a> {
    /// This private bus.
    Private(&'a Bus),
    /// No bus at all: the address points at nothing.
    None,
}

/// One test's world: a data dir, a display and a tauri-driver to launch the app with.
pub struct TestEnv {
    name: String,
    data_dir: tempfile::TempDir,
    /// The app's home folder, so nothing it writes there (start at login, WebKit caches)
    /// touches the real one.
    home: tempfile::TempDir,
    xvfb: Xvfb,
}

impl TestEnv {
    /// How many top-level windows titled `title` are on this test's display (xwininfo).
    pub fn windows_titled(&self, title: &str) -> TestResult<usize> {
        let out = Command::new("xwininfo")
            .args(["-root", "-tree"])
            .env("DISPLAY", &self.xvfb.display)
            .output()?;
        // Lines read `0x200003 "Kith": ("kith" "Kith")  1200x780+40+10 …`: the name, then
        // the class (which the app's hidden helper windows share).
        let needle = format!("\"{title}\":");
        Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.contains(&needle))
            .count())
    }

    /// Waits until some window titled `title` is on the display (`shown`), or none is, and
    /// returns how many X windows carry that title (a toplevel may count more than one).
    pub async fn wait_for_windows(&self, title: &str, shown: bool) -> TestResult<usize> {
        let end = Instant::now() + Duration::from_secs(15);
        loop {
            let now = self.windows_titled(title)?;
            if (now > 0) == shown {
                return Ok(now);
            }
            if Instant::now() > end {
                let want = if shown { "some" } else { "none" };
                return Err(format!("{now} windows titled {title:?}, expected {want}").into());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Starts the app a second time with this test's display, bus and data, and returns
    /// its exit status once it ends (within 20 s, or an error).
    pub fn launch_again(&self, bus: &Bus) -> TestResult<std::process::ExitStatus> {
        let mut child = Command::new(app_binary()?)
            .env("DISPLAY", &self.xvfb.display)
            .env("KITH_DATA_DIR", self.data_dir.path())
            .env("HOME", self.home.path())
            .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
            .env("GDK_BACKEND", "x11")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let end = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = child.try_wait()? {
                return Ok(status);
            }
            if Instant::now() > end {
                let _ = child.kill();
                let _ = child.wait();
                return Err(
                    "the second launch kept running: it did not hand over to the first".into(),
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A data dir whose user has been through the first-start onboarding.
    pub fn new(name: &str) -> TestResult<TestEnv> {
        let env = TestEnv::first_start(name)?;
        let mut store = kith_core::Store::open_in(env.data_dir())?;
        let defaults = store.preferences()?;
        store.set_preferences(kith_core::preferences::Preferences {
            nudge_time: "09:00".into(),
            time_zone: "UTC".into(),
            onboarded: true,
            ..defaults
        })?;
        Ok(env)
    }

    /// An empty data dir, as on the very first start.
    pub fn first_start(name: &str) -> TestResult<TestEnv> {
        let home = tempfile::tempdir()?;
        // The desktop's link handler, which this display does not have: it notes each link
        // it is asked to open (see `opened`).
        let bin = home.path().join("bin");
        std::fs::create_dir_all(&bin)?;
        let handler = bin.join("xdg-open");
        std::fs::write(
            &handler,
            "#!/bin/sh\nprintf '%s\\n' \"$1\" >> \"$HOME/opened-links\"\n",
        )?;
        std::fs::set_permissions(
            &handler,
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )?;
        Ok(TestEnv {
            name: name.to_owned(),
            data_dir: tempfile::tempdir()?,
            home,
            xvfb: Xvfb::start()?,
        })
    }

    /// The links the app asked the desktop to open, in order.
    pub fn opened(&self) -> Vec<String> {
        std::fs::read_to_string(self.home.path().join("opened-links"))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// The app's data dir (`KITH_DATA_DIR`).
    /// The home folder the app sees.
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    pub fn data_dir(&self) -> &Path {
        self.data_dir.path()
    }

    /// Runs the command line (`kith ARGS`) on this test's data, as a terminal beside the
    /// window would, and returns its standard output; a failure is an error with its words.
    pub fn cli(&self, args: &[&str]) -> TestResult<String> {
        let out = Command::new(app_binary()?)
            .args(args)
            .env("KITH_DATA_DIR", self.data_dir.path())
            .env("HOME", self.home.path())
            .stdin(Stdio::null())
            .output()?;
        if !out.status.success() {
            return Err(format!(
                "kith {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Starts tauri-driver, then the app through a WebDriver session, and waits until the
    /// UI has loaded its data.
    pub async fn launch(&self, bus: BusChoice<'_>) -> TestResult<App> {
        let app_binary = app_binary()?;
        let port = free_port()?;
        let native_port = free_port()?;
        let bus_address = match bus {
            BusChoice::Private(bus) => bus.address.clone(),
            BusChoice::None => format!(
                "unix:path={}",
                self.data_dir.path().join("no-bus-here").display()
            ),
        };
        let mut cmd = Command::new("tauri-driver");
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        // The app inherits tauri-driver's environment.
        .env("DISPLAY", &self.xvfb.display)
        .env("KITH_DATA_DIR", self.data_dir.path())
        .env("HOME", self.home.path())
        .env(
            "PATH",
            format!(
                "{}:{}",
                self.home.path().join("bin").display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("DBUS_SESSION_BUS_ADDRESS", bus_address)
        .env("GDK_BACKEND", "x11")
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .env("KITH_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        let driver_group = Group::spawn(
            cmd,
            "tauri-driver (cargo install tauri-driver --version 2.1.0 --locked)",
        )?;
        // tauri-driver accepts connections before WebKitWebDriver does: wait for both.
        wait_until(
            Duration::from_secs(20),
            "tauri-driver and WebKitWebDriver",
            || {
                [port, native_port]
                    .iter()
                    .all(|p| TcpStream::connect(("127.0.0.1", *p)).is_ok())
            },
        )?;

        let mut caps = Capabilities::new();
        caps.set(
            "tauri:options",
            json!({ "application": app_binary.display().to_string() }),
        )?;
        let started = Instant::now();
        // Every WebDriver request gets a deadline: a wedged webview fails the test, not CI.
        let driver = WebDriver::builder(format!("http://127.0.0.1:{port}"), caps)
            .request_timeout(REQUEST_TIMEOUT)
            .connect()
            .await?;
        let app = App {
            driver: Some(driver),
            _driver_group: driver_group,
            artifacts: artifacts_dir(),
            name: self.name.clone(),
            display: self.xvfb.display.clone(),
        };
        let ready = app.wait_for(testid("app-ready")).await;
        if let Err(e) = ready {
            return Err(app.fail(e).await);
        }
        eprintln!(
            "[{}] app ready {} ms after the session was requested",
            self.name,
            started.elapsed().as_millis()
        );
        Ok(app)
    }
}

/// The running app and its WebDriver session.
pub struct App {
    driver: Option<WebDriver>,
    _driver_group: Group,
    artifacts: PathBuf,
    name: String,
    display: String,
}

impl App {
    pub fn driver(&self) -> &WebDriver {
        self.driver
            .as_ref()
            .unwrap_or_else(|| unreachable!("the session lives until quit"))
    }

    /// The first element matching `by`, waiting for it to appear (up to 20 s).
    pub async fn wait_for(&self, by: By) -> TestResult<WebElement> {
        Ok(self
            .driver()
            .query(by)
            .wait(Duration::from_secs(20), Duration::from_millis(50))
            .first()
            .await?)
    }

    /// Every element matching `by` now.
    pub async fn all(&self, by: By) -> TestResult<Vec<WebElement>> {
        Ok(self.driver().find_all(by).await?)
    }

    /// Clicks the first element matching `by`, finding it again if the UI re-rendered it
    /// between the lookup and the click.
    pub async fn click(&self, by: By) -> TestResult {
        let mut attempts = 0;
        loop {
            let element = self.wait_for(by.clone()).await?;
            // WebKitWebDriver refuses clicks on elements scrolled out of their pane.
            let _ = element.scroll_into_view().await;
            match element.click().await {
                Ok(()) => return Ok(()),
                Err(e) if attempts < 5 && is_stale(&e) => attempts += 1,
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Shows one of the main views from the sidebar: "today" (where Kith opens),
    /// "contacts", "goals" or "settings".
    pub async fn go_to(&self, view: &str) -> TestResult {
        self.click(testid(&format!("nav-{view}"))).await
    }

    /// Runs axe-core (the UI's own copy, from `ui/node_modules`) on the window as it is and
    /// returns its serious and critical findings, each as "rule: what (where)".
    pub async fn axe(&self) -> TestResult<Vec<String>> {
        static AXE: std::sync::OnceLock<Result<String, String>> = std::sync::OnceLock::new();
        let source = AXE
            .get_or_init(|| {
                let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../ui/node_modules/axe-core/axe.min.js");
                std::fs::read_to_string(&path).map_err(|e| {
                    format!("{}: {e} (npm ci in ui/ installs axe-core)", path.display())
                })
            })
            .clone()?;
        self.driver().execute(&source, Vec::new()).await?;
        let found = self
            .driver()
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                axe.run(document, { resultTypes: ["violations"] })
                  .then((r) => done(r.violations
                    .filter((v) => v.impact === "serious" || v.impact === "critical")
                    .map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 4).map((n) => n.target.join(" ")).join("; ")})`)))
                  .catch((e) => done([`axe did not run: ${e}`]));"#,
                Vec::new(),
            )
            .await?;
        Ok(serde_json::from_value(found.json().clone())?)
    }

    /// Shows the page in `theme` ("light" or "dark") as Settings → Appearance does, without
    /// leaving the screen under test.
    pub async fn show_theme(&self, theme: &str) -> TestResult {
        self.driver()
            .execute(
                "document.documentElement.dataset.theme = arguments[0];",
                vec![theme.into()],
            )
            .await?;
        Ok(())
    }

    /// Checks that axe finds nothing serious or critical in the dark and then the light theme
    /// with the screen as it is (`state` names it in a failure), keeping a screenshot of each
    /// as `{label}-{theme}`.
    pub async fn axe_in_both_themes(&self, state: &str, label: &str) -> TestResult {
        for theme in ["dark", "light"] {
            self.show_theme(theme).await?;
            let found = self.axe().await?;
            ensure!(found.is_empty(), "axe, {state}, {theme}: {found:?}");
            self.screenshot(&format!("{label}-{theme}")).await?;
        }
        Ok(())
    }

    /// Presses Tab (from wherever the focus is) until the focused element matches `css`, as
    /// someone without a mouse would, and returns how many presses it took.
    pub async fn tab_to(&self, css: &str) -> TestResult<usize> {
        for presses in 1..=80 {
            // As a keyboard would: to whatever has the focus, without focusing anything first
            // (which would start a date field over at its first part).
            self.driver()
                .action_chain()
                .send_keys(Key::Tab)
                .perform()
                .await?;
            let on = self
                .driver()
                .execute(
                    "return document.activeElement && document.activeElement.matches(arguments[0]);",
                    vec![serde_json::Value::from(css)],
                )
                .await?;
            if on.json().as_bool() == Some(true) {
                return Ok(presses);
            }
        }
        Err(format!("Tab never reached {css}").into())
    }

    /// Presses Ctrl+`key` (a shortcut) on whatever has the focus.
    pub async fn press_ctrl(&self, key: &str) -> TestResult {
        self.driver()
            .action_chain()
            .key_down(Key::Control)
            .send_keys(key)
            .key_up(Key::Control)
            .perform()
            .await?;
        Ok(())
    }

    /// Sends `keys` to whatever has the focus.
    pub async fn press(&self, keys: impl Into<thirtyfour::prelude::TypingData>) -> TestResult {
        self.driver()
            .action_chain()
            .send_keys(keys)
            .perform()
            .await?;
        Ok(())
    }

    /// Opens the contact named `name` from the contact list.
    pub async fn open_contact(&self, name: &str) -> TestResult {
        self.click(By::XPath(format!(
            "//*[@data-testid='contact-row'][.//*[@data-testid='contact-name' and normalize-space()={}]]",
            xpath_literal(name)
        )))
        .await?;
        self.wait_for_texts(testid("detail-name"), &[name]).await
    }

    /// Adds a contact through the form (name, emails, tags) and waits for its page.
    pub async fn add_contact(&self, name: &str, emails: &[&str], tags: &str) -> TestResult {
        self.click(testid("add-contact")).await?;
        self.wait_for(testid("contact-form")).await?;
        self.fill("Name", name).await?;
        for (i, email) in emails.iter().enumerate() {
            if i > 0 {
                self.click(By::XPath("//button[normalize-space()='Add another email']"))
                    .await?;
            }
            self.fill(&format!("Email {}", i + 1), email).await?;
        }
        if !tags.is_empty() {
            self.fill("Tags", tags).await?;
        }
        self.click(testid("save-contact")).await?;
        self.wait_for_texts(testid("detail-name"), &[name]).await
    }

    /// Types `text` into the field whose label is `label`.
    pub async fn fill(&self, label: &str, text: &str) -> TestResult {
        let field = self
            .wait_for(By::XPath(format!(
                "//input[@aria-label={0}] | //textarea[@aria-label={0}] | \
                 //*[@id=//label[normalize-space()={0}]/@for]",
                xpath_literal(label)
            )))
            .await?;
        field.clear().await?;
        field.send_keys(text).await?;
        Ok(())
    }

    /// Types `text` into the field with this `data-testid`, then leaves it (firing `change`).
    pub async fn fill_testid(&self, id: &str, text: &str) -> TestResult {
        let field = self.wait_for(testid(id)).await?;
        field.clear().await?;
        field.send_keys(text).await?;
        field.send_keys(Key::Tab).await?;
        Ok(())
    }

    /// Sets the value of the input with this id as typing would, firing `input` (date and
    /// time pickers cannot be typed into reliably over WebDriver).
    pub async fn set_value(&self, id: &str, value: &str) -> TestResult {
        self.driver()
            .execute(
                "const el = document.getElementById(arguments[0]);
                 el.value = arguments[1];
                 el.dispatchEvent(new Event('input', { bubbles: true }));",
                vec![id.into(), value.into()],
            )
            .await?;
        Ok(())
    }

    /// The text content of every element matching `by`, trimmed. (WebKitWebDriver's
    /// "visible text" is empty for text clipped with an ellipsis, so the DOM's text is used;
    /// screenshots show what is visible.)
    pub async fn texts(&self, by: By) -> TestResult<Vec<String>> {
        Ok(self.dom_texts(by).await?)
    }

    async fn dom_texts(&self, by: By) -> WebDriverResult<Vec<String>> {
        let mut out = Vec::new();
        for e in self.driver().find_all(by).await? {
            let text = e.prop("textContent").await?.unwrap_or_default();
            out.push(text.trim().to_owned());
        }
        Ok(out)
    }

    /// The trimmed text content of the first element matching `by`, waiting for it.
    pub async fn text(&self, by: By) -> TestResult<String> {
        text_of(&self.wait_for(by).await?).await
    }

    /// Waits until the elements matching `by` have exactly these texts.
    pub async fn wait_for_texts(&self, by: By, expected: &[&str]) -> TestResult {
        self.wait_until_texts(by, &format!("{expected:?}"), |texts| texts == expected)
            .await?;
        Ok(())
    }

    /// Waits up to 20 s until the texts of what `by` finds pass `ok` (which `what`
    /// describes for the failure); answers them.
    pub async fn wait_until_texts(
        &self,
        by: By,
        what: &str,
        ok: impl Fn(&[String]) -> bool,
    ) -> TestResult<Vec<String>> {
        let end = Instant::now() + Duration::from_secs(20);
        loop {
            let texts = match self.dom_texts(by.clone()).await {
                Ok(texts) => texts,
                // The UI re-rendered between finding the elements and reading them.
                Err(e) if is_stale(&e) => vec!["(re-rendering)".to_owned()],
                Err(e) => return Err(e.into()),
            };
            if ok(&texts) {
                return Ok(texts);
            }
            if Instant::now() > end {
                return Err(format!("expected {what}, the window shows {texts:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Saves a screenshot of the whole X display as `tests/artifacts/<test>-<label>.png`.
    /// (It is taken from the X server, as a user would see it: WebKitWebDriver's own
    /// screenshot waits for a repaint that an idle page under Xvfb may never make.)
    pub async fn screenshot(&self, label: &str) -> TestResult<PathBuf> {
        std::fs::create_dir_all(&self.artifacts)?;
        let path = self.artifacts.join(format!("{}-{label}.png", self.name));
        let status = tokio::process::Command::new("import")
            .args(["-display", &self.display, "-window", "root"])
            .arg(&path)
            .status()
            .await
            .map_err(|e| format!("cannot run ImageMagick's import: {e}"))?;
        ensure!(status.success(), "import failed with {status}");
        Ok(path)
    }

    /// Closes the window the way the user does, with Ctrl+W (Kith stays in the tray).
    pub async fn close_window(&self) -> TestResult {
        let body = self.wait_for(By::Tag("body")).await?;
        match body.send_keys(Key::Control + "w").await {
            Ok(()) => Ok(()),
            // The window went away while the key was being typed: that is the point.
            Err(e)
                if matches!(
                    e.as_inner(),
                    thirtyfour::error::WebDriverErrorInner::NoSuchWindow(_)
                ) =>
            {
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Ends the session; tauri-driver closes the app.
    pub async fn quit(mut self) -> TestResult {
        if let Some(driver) = self.driver.take() {
            driver.quit().await?;
        }
        Ok(())
    }

    /// Closes the test: on failure saves a screenshot first. Always ends the session.
    pub async fn finish(self, outcome: TestResult) -> TestResult {
        match outcome {
            Ok(()) => self.quit().await,
            Err(e) => Err(self.fail(e).await),
        }
    }

    async fn fail(
        self,
        error: Box<dyn std::error::Error + Send + Sync>,
    ) -> Box<dyn std::error::Error + Send + Sync> {
        match self.screenshot("failure").await {
            Ok(path) => eprintln!(
                "[{}] screenshot of the failure: {}",
                self.name,
                path.display()
            ),
            Err(e) => eprintln!("[{}] no screenshot: {e}", self.name),
        }
        let _ = self.quit().await;
        error
    }
}

fn is_stale(e: &WebDriverError) -> bool {
    matches!(
        e.as_inner(),
        thirtyfour::error::WebDriverErrorInner::StaleElementReference(_)
    )
}

async fn text_of(element: &WebElement) -> TestResult<String> {
    Ok(element
        .prop("textContent")
        .await?
        .unwrap_or_default()
        .trim()
        .to_owned())
}

/// An XPath string literal for any text (XPath 1.0 has no escapes).
fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

fn artifacts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts")
}

/// The debug build of the app: `KITH_APP` if set, else `kith` beside this test's `deps/`.
fn app_binary() -> TestResult<PathBuf> {
    if let Some(path) = std::env::var_os("KITH_APP") {
        return Ok(PathBuf::from(path));
    }
    let exe = std::env::current_exe()?;
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or("cannot locate the target directory")?;
    let app = profile_dir.join("kith");
    if !app.is_file() {
        return Err(format!(
            "{} does not exist: build the app first (`make test` does)",
            app.display()
        )
        .into());
    }
    Ok(app)
}
