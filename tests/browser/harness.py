"""The real programs behind the page test: an index built by nsearch-index,
`nsearch serve` on a free loopback port, and headless Chromium driven by
chromedriver. Each part stops what it started, even when a check fails."""

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import threading
import time

CHROMIUM = '/usr/bin/chromium'
CHROMEDRIVER = '/usr/bin/chromedriver'
SKIP = 77  # SKIP_RETURN_CODE in tests/CMakeLists.txt


def missing_browser():
    """What is missing to drive a browser here, or None."""
    for program in (CHROMIUM, CHROMEDRIVER):
        if not os.access(program, os.X_OK):
            return program + ' is not installed (Debian: chromium, chromium-driver)'
    try:
        import selenium  # noqa: F401
    except ImportError:
        return 'python3-selenium is not installed'
    return None


def sandbox_env(work):
    """The environment of every child: no config file or index of the user's."""
    env = {k: v for k, v in os.environ.items() if k not in ('NSEARCH_DB', 'NO_COLOR')}
    home = os.path.join(work, 'home')
    os.makedirs(os.path.join(home, 'config'), exist_ok=True)
    env.update(HOME=home, XDG_CONFIG_HOME=os.path.join(home, 'config'),
               XDG_DATA_HOME=os.path.join(home, 'data'))
    return env


def build_index(nsearch_index, db, roots, env):
    subprocess.run([nsearch_index, '--db', db, '--quiet', *roots], env=env, check=True, timeout=120)


def cli_json(nsearch, db, env, *args):
    """`nsearch --json` for the same search, the answer the page must show."""
    out = subprocess.run([nsearch, '--db', db, '--json', *args], env=env, timeout=60,
                         stdout=subprocess.PIPE, check=False)
    if out.returncode not in (0, 1):
        raise AssertionError('nsearch %s exited %d' % (' '.join(args), out.returncode))
    return json.loads(out.stdout)


class Server:
    """`nsearch serve --listen 127.0.0.1:0`; `url` is the one it prints."""

    URL_LINE = re.compile(r'(http://127\.0\.0\.1:\d+/)')

    def __init__(self, nsearch, db, env, timeout=30):
        self.proc = subprocess.Popen([nsearch, 'serve', '--db', db, '--listen', '127.0.0.1:0'],
                                     env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, start_new_session=True)
        self.output = []
        lines = queue.Queue()

        def pump():
            for line in self.proc.stdout:
                self.output.append(line)
                lines.put(line)
            lines.put(None)

        self.pump = threading.Thread(target=pump, daemon=True)
        self.pump.start()
        deadline = time.monotonic() + timeout
        self.url = None
        while self.url is None:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None:
                self.stop()
                raise AssertionError('nsearch serve printed no URL: ' + ''.join(self.output))
            match = self.URL_LINE.search(line)
            if match:
                self.url = match.group(1)

    def stop(self):
        """SIGTERM, then its exit status (0 is a clean stop); kills it if it hangs."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
                raise AssertionError('nsearch serve did not stop within 15 s of SIGTERM')
        self.pump.join(timeout=5)
        if not self.pump.is_alive():
            self.proc.stdout.close()
        return self.proc.returncode


def start_browser(work, width=1280, height=900):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = os.path.join(work, 'chromium-profile')
    shutil.rmtree(profile, ignore_errors=True)
    for arg in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
                '--disable-background-networking', '--disable-component-update', '--disable-sync',
                '--no-first-run', '--disable-default-apps', '--disable-extensions',
                '--user-data-dir=' + profile, '--window-size=%d,%d' % (width, height),
                '--lang=en-US'):
        options.add_argument(arg)
    # The console, to catch a script error or a Content-Security-Policy violation.
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    service = Service(executable_path=CHROMEDRIVER, log_path=os.path.join(work, 'chromedriver.log'))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    return driver
