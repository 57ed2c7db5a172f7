"""The test suite's settings: production settings (DEBUG off, secure cookies, CSP, HSTS) with a
throwaway secret key and without the https redirect (the test client and live server speak http)."""
import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-any-deployment-" + "x" * 20)
os.environ.setdefault("STS_SSL_REDIRECT", "0")
os.environ.setdefault("STS_PUBLIC_URL", "https://sts.test.example")
os.environ.setdefault("DJANGO_DEBUG", "0")  # the production settings, whatever a laptop's var/local.env says
os.environ.setdefault("STS_EMAIL_FILE_PATH", "")

from .settings import *  # noqa: E402,F401,F403
