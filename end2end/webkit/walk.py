"""The walk of a student on an iPhone's engine: WebKit (WebKitGTK's MiniBrowser, driven by
WebKitWebDriver through Selenium), in a window 390 px wide. Playwright cannot drive Debian's
WebKit, so this walk is smaller than the Playwright suite: the first login (email and second
password), a normal login, the menu and logout, and no page wider than the window.

Run by `end2end/webkit/run.sh`, which starts the server and the SMTP sink and gives their
addresses in E2E_BASE_URL and E2E_SINK_URL.
"""

import json
import os
import re
import sys
import time
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver import WebKitGTKOptions
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import WebDriverWait
from selenium.webdriver.webkitgtk.service import Service

BASE = os.environ["E2E_BASE_URL"]
SINK = os.environ["E2E_SINK_URL"]
USER_ID = "w01"
EMAIL = "w01@example.ac.jp"
UNIVERSITY_PASSWORD = "campus-Pass-1"
SECOND_PASSWORD = "Webkit2026x"
WIDTH, HEIGHT = 390, 844


def browser():
    options = WebKitGTKOptions()
    options.binary_location = os.environ.get(
        "MINIBROWSER", "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
    )
    options.add_argument("--automation")
    # Full screen on a 390 × 844 screen (run.sh): MiniBrowser's toolbar keeps an ordinary
    # window at least 447 px wide.
    options.add_argument("--full-screen")
    driver = webdriver.WebKitGTK(
        options=options, service=Service(executable_path="/usr/bin/WebKitWebDriver")
    )
    driver.set_page_load_timeout(30)
    driver.set_window_size(WIDTH, HEIGHT)
    return driver


class Walk:
    def __init__(self, driver):
        self.driver = driver
        self.wait = WebDriverWait(driver, 20)

    def heading(self, text):
        """Waits for the page whose first heading is `text`, then checks it fits the window."""
        self.wait.until(seen.text_to_be_present_in_element((By.TAG_NAME, "h1"), text))
        width, scroll = self.driver.execute_script(
            "return [innerWidth, document.documentElement.scrollWidth]"
        )
        assert width == WIDTH, f"the window is {width} px wide, not {WIDTH}"
        assert scroll <= width, f"{self.driver.current_url} is {scroll} px wide in {width} px"
        print(f"  {self.driver.current_url} — {text}")

    def fill(self, label, value):
        field = self.driver.find_element(By.XPATH, f"//label[normalize-space()='{label}']")
        box = self.driver.find_element(By.ID, field.get_attribute("for"))
        box.clear()
        if value:
            box.send_keys(value)

    def press(self, name):
        self.driver.find_element(
            By.XPATH, f"//button[normalize-space()='{name}']"
        ).click()

    def log_in(self, second_password=""):
        self.fill("ユーザID", USER_ID)
        self.fill("パスワード", UNIVERSITY_PASSWORD)
        self.fill("第2パスワード", second_password)
        self.press("ログイン")


def link_in_mail(to):
    """The one-time URL of the first mail to `to` that the sink received."""
    deadline = time.time() + 20
    while time.time() < deadline:
        query = urllib.parse.urlencode({"to": to})
        with urllib.request.urlopen(f"{SINK}/messages?{query}") as answer:
            mails = json.load(answer)
        if mails:
            return re.search(r"https?://\S+", mails[0]["text"]).group(0)
        time.sleep(0.25)
    raise AssertionError(f"no mail to {to}")


def main():
    driver = browser()
    try:
        walk = Walk(driver)
        print("2.1 the first login and the email address")
        driver.get(f"{BASE}/e2e/login")
        walk.heading("在学生ログイン")
        walk.log_in()
        walk.heading("メールアドレスの登録")
        walk.fill("メールアドレス", EMAIL)
        walk.fill("メールアドレス（確認）", EMAIL)
        walk.press("確認")
        walk.heading("確認メールを送信しました")
        driver.get(link_in_mail(EMAIL))
        walk.press("メールアドレスを登録する")
        walk.heading("メールアドレス設定完了")
        walk.press("ログインページへ移動")

        print("2.2 the second password")
        walk.heading("在学生ログイン")
        walk.log_in()
        walk.heading("第2パスワードの設定")
        walk.fill("第2パスワード", SECOND_PASSWORD)
        walk.fill("第2パスワード（確認）", SECOND_PASSWORD)
        walk.press("設定")
        walk.heading("第2パスワードを設定しました")
        walk.press("ログインページへ移動")

        print("2.3 a normal login, the menu and logout")
        walk.heading("在学生ログイン")
        walk.log_in(SECOND_PASSWORD)
        walk.heading(f"ようこそ 試験 {USER_ID}")
        menu = driver.find_element(By.XPATH, "//summary[normalize-space()='メニュー']")
        menu.click()
        logout = driver.find_element(By.XPATH, "//button[normalize-space()='ログアウト']")
        walk.wait.until(seen.visibility_of(logout))
        right = driver.execute_script("return arguments[0].getBoundingClientRect().right", menu)
        assert right <= WIDTH, f"メニュー ends at {right} px, past the window"
        logout.click()
        walk.heading("在学生ログイン")
        print("WebKit walk: passed")
    finally:
        driver.quit()


if __name__ == "__main__":
    try:
        main()
    except AssertionError as failure:
        print(f"WebKit walk: FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
