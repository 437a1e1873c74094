"""Users, roles and scopes.

Three roles: ``admin`` (everything, manages users), ``reviewer`` (the 政务公开办: reports of the
regions and agencies in their scopes, all when they have none) and ``clerk`` (a department's
clerk: exactly one agency).  Passwords are hashed with argon2id (argon2-cffi); a name is unique.
A :class:`Scope` answers "may this user see a report of agency A in region R?" for the pages
and the API alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine

from ..errors import XxgkError
from ..labels.normalize import simplify
from ..store import schema as s

ROLE_LABELS = {s.ROLE_ADMIN: "管理员", s.ROLE_REVIEWER: "审核人员", s.ROLE_CLERK: "部门填报员"}
MIN_PASSWORD = 8
_hasher = PasswordHasher()


class AccountError(XxgkError):
    pass


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    regions: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()  # normalised agency names

    @property
    def is_admin(self) -> bool:
        return self.role == s.ROLE_ADMIN

    @property
    def is_clerk(self) -> bool:
        return self.role == s.ROLE_CLERK

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def sees_all(self) -> bool:
        return self.is_admin or (self.role == s.ROLE_REVIEWER and not self.regions and not self.agencies)

    def may_see(self, agency_normalized: str | None, region: str | None) -> bool:
        """Whether a report of this agency (normalised name) and region is in the user's scope."""
        if self.sees_all:
            return True
        if agency_normalized is not None and agency_normalized in self.agencies:
            return True
        if self.is_clerk:
            return False
        return region is not None and any(region == r or region.startswith(r) for r in self.regions)

    def may_see_agency(self, agency: str | None) -> bool:
        """The same question for an agency name as written (it is normalised and its region found)."""
        from ..store.agencies import describe

        if agency is None:
            return self.sees_all
        info = describe(agency)
        return self.may_see(info.normalized, info.region)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少 {MIN_PASSWORD} 个字符 (password too short)")


def add_user(
    engine: Engine, name: str, password: str, role: str, *, regions=(), agencies=()
) -> User:
    """Create a user; a clerk needs exactly one agency."""
    name = name.strip()
    if not name:
        raise AccountError("用户名不能为空 (empty user name)")
    if role not in s.ROLES:
        raise AccountError(f"未知的角色“{role}”，应为 admin、reviewer 或 clerk (unknown role)")
    agencies = tuple(simplify(a) for a in agencies if a.strip())
    regions = tuple(r.strip() for r in regions if r.strip())
    if role == s.ROLE_CLERK and len(agencies) != 1:
        raise AccountError("部门填报员须指定且只指定一个机关 (a clerk belongs to exactly one agency)")
    _check_password(password)
    with engine.begin() as conn:
        if conn.execute(select(s.users.c.id).where(s.users.c.name == name)).first():
            raise AccountError(f"用户“{name}”已存在 (user exists)")
        uid = conn.execute(
            insert(s.users).values(
                name=name,
                password_hash=_hasher.hash(password),
                role=role,
                active=True,
                created_at=datetime.now(timezone.utc),
            )
        ).inserted_primary_key[0]
        scopes = [{"user_id": uid, "kind": "region", "value": r} for r in dict.fromkeys(regions)]
        scopes += [{"user_id": uid, "kind": "agency", "value": a} for a in dict.fromkeys(agencies)]
        if scopes:
            conn.execute(insert(s.user_scopes), scopes)
    return User(uid, name, role, regions, agencies)


def set_password(engine: Engine, user_id: int, password: str) -> None:
    _check_password(password)
    with engine.begin() as conn:
        conn.execute(update(s.users).where(s.users.c.id == user_id).values(password_hash=_hasher.hash(password)))


def set_active(engine: Engine, user_id: int, active: bool) -> None:
    with engine.begin() as conn:
        conn.execute(update(s.users).where(s.users.c.id == user_id).values(active=active))


def remove_user(engine: Engine, user_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(delete(s.user_scopes).where(s.user_scopes.c.user_id == user_id))
        conn.execute(delete(s.users).where(s.users.c.id == user_id))


def _user(conn, row) -> User:
    scopes = conn.execute(select(s.user_scopes).where(s.user_scopes.c.user_id == row.id)).all()
    return User(
        row.id,
        row.name,
        row.role,
        tuple(sorted(x.value for x in scopes if x.kind == "region")),
        tuple(sorted(x.value for x in scopes if x.kind == "agency")),
    )


def get_user(engine: Engine, user_id: int) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(select(s.users).where(s.users.c.id == user_id, s.users.c.active.is_(True))).first()
        return _user(conn, row) if row else None


def list_users(engine: Engine) -> list[tuple[User, bool]]:
    with engine.connect() as conn:
        rows = conn.execute(select(s.users).order_by(s.users.c.name)).all()
        return [(_user(conn, r), r.active) for r in rows]


def authenticate(engine: Engine, name: str, password: str) -> User | None:
    """The user when the name and password match an active account, else None."""
    with engine.connect() as conn:
        row = conn.execute(select(s.users).where(s.users.c.name == name.strip())).first()
        if row is None or not row.active:
            _hasher.hash(password)  # the same time whether or not the name exists
            return None
        try:
            _hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        user = _user(conn, row)
    if _hasher.check_needs_rehash(row.password_hash):
        set_password(engine, row.id, password)
    return user


def has_users(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(s.users.c.id).limit(1)).first() is not None
