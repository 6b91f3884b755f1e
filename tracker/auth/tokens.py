"""Bearer tokens seen and revoked by their owner, or by an admin for anyone."""

from __future__ import annotations

from sqlalchemy import Select, select

from tracker.auth.models import ApiToken, User
from tracker.database import utcnow
from tracker.domain.custody import Role
from tracker.errors import NotFound
from tracker.extensions import db


def _is_admin(user: User) -> bool:
    return user.user_role == Role.ADMIN


def tokens_query(viewer: User, owner: User | None) -> Select:
    """The live tokens of owner (the viewer by default); only an admin may name someone else."""
    owner = owner or viewer
    if owner.id != viewer.id and not _is_admin(viewer):
        raise NotFound("Không có token nào như vậy.", code="token_not_found")
    return (
        select(ApiToken)
        .where(ApiToken.user_id == owner.id, ApiToken.expires_at > utcnow())
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )


def revoke_token(viewer: User, token_id: int) -> None:
    """End one token at once; someone else's token looks missing unless the viewer is an admin."""
    token = db.session.get(ApiToken, token_id)
    if token is None or (token.user_id != viewer.id and not _is_admin(viewer)):
        raise NotFound("Không có token nào như vậy.", code="token_not_found", details={"id": token_id})
    db.session.delete(token)
