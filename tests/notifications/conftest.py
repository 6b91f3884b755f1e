from tests.receivers import receiver, smtp_server  # noqa: F401
from tests.web.conftest import browser, browser_as, live_server, page_client  # noqa: F401
