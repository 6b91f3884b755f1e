from tests.receivers import receiver, smtp_server  # noqa: F401
from tests.web.conftest import page_client  # noqa: F401
