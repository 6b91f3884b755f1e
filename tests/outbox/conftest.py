from tests.receivers import receiver, smtp_server  # noqa: F401
