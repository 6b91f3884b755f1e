import pytest

from tests.support import ApiClient


@pytest.fixture
def admin(as_user) -> ApiClient:
    return as_user("admin1")


@pytest.fixture
def upload(admin):
    """upload(path, **form) posts a file to the import endpoint as the admin."""

    def send(path, client: ApiClient | None = None, **form):
        with open(path, "rb") as stream:
            data = {"file": (stream, path.name), **{key: str(value).lower() for key, value in form.items()}}
            return (client or admin).client.post(
                "/api/v1/dossiers/import",
                data=data,
                content_type="multipart/form-data",
                headers={"Authorization": f"Bearer {(client or admin).token}"},
            )

    return send
