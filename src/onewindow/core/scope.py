"""Scope (R-NET-3): what part of the network a user may see.

One mechanism for every selector, page and API: ``scope_for(user)`` computes a
``Scope`` from the user's staff profile and roles; ``Scope.q(...)`` turns it into a
filter for any model that names its center, department and region; a record
outside the scope is answered as "not found", never "forbidden".

Who sees what:
- the superuser and prefecture-wide roles at the top region: everything;
- supervisors (督查/纪委监委), government office, legality and final reviewers, and
  leaders without a department: their region's subtree;
- center administrators: their center's region subtree (a county center manages
  its township centers and village points);
- clerks and agents (government or third-party staff): their own center;
- approvers and chief representatives: their own department;
- department leaders: their department and the lower bodies of its line in its
  region's subtree (the upper body supervises the lower ones).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from onewindow.core.roles import (
    SCOPE_CENTER,
    SCOPE_CENTER_NETWORK,
    SCOPE_DEPARTMENT,
    SCOPE_REGION,
    Role,
)


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    region_paths: frozenset[str] = field(default_factory=frozenset)
    center_ids: frozenset[int] = field(default_factory=frozenset)
    department_ids: frozenset[int] = field(default_factory=frozenset)
    # (line id, region path): the departments of a line at or below a region
    line_paths: frozenset[tuple[int, str]] = field(default_factory=frozenset)

    @classmethod
    def nothing(cls) -> Scope:
        return cls()

    @classmethod
    def all(cls) -> Scope:
        return cls(everything=True)

    @property
    def is_empty(self) -> bool:
        return not (
            self.everything
            or self.region_paths
            or self.center_ids
            or self.department_ids
            or self.line_paths
        )

    def q(
        self,
        *,
        center: str | None = "center",
        department: str | None = "department",
        region_path: str | None = None,
    ) -> Q:
        """A filter for a model whose center, department and region path are at the
        given lookups (``""`` names the model itself; None: the model has none)."""
        if self.everything:
            return Q()
        if self.is_empty:
            return Q(pk__in=[])

        def lk(base: str, attr: str) -> str:
            return f"{base}__{attr}" if base else attr

        def ids(base: str) -> str:
            return base or "pk"

        if region_path is None and center is not None:
            region_path = lk(center, "region__path")
        q = Q(pk__in=[])
        if center is not None and self.center_ids:
            q |= Q(**{f"{ids(center)}__in": self.center_ids})
        if department is not None and self.department_ids:
            q |= Q(**{f"{ids(department)}__in": self.department_ids})
        for path in self.region_paths:
            if region_path is not None:
                q |= Q(**{f"{region_path}__startswith": path})
            if department is not None:
                q |= Q(**{f"{lk(department, 'region__path')}__startswith": path})
        if department is not None:
            for line_id, path in self.line_paths:
                q |= Q(
                    **{
                        f"{lk(department, 'line_id')}": line_id,
                        f"{lk(department, 'region__path')}__startswith": path,
                    }
                )
        return q

    def filter(self, queryset, **lookups):
        return queryset.filter(self.q(**lookups)).distinct() if not self.everything else queryset


_REMEMBERED = "_onewindow_scope"


def remember_scope(user, scope: Scope):
    """Attach ``scope`` to this (per-request) user object, so ``scope_for`` answers it
    without reading the profile again (the API token path, ``core.tokens``)."""
    setattr(user, _REMEMBERED, scope)
    return user


def scope_for(user) -> Scope:
    """The scope of a user, from their staff profile and roles."""
    remembered = getattr(user, "__dict__", {}).get(_REMEMBERED)
    if remembered is not None:
        return remembered
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope.nothing()
    if user.is_superuser:
        return Scope.all()
    profile = getattr(user, "staff_profile", None)
    if profile is None or not profile.active:
        return Scope.nothing()
    roles = profile.roles
    regions: set[str] = set()
    centers: set[int] = set()
    departments: set[int] = set()
    lines: set[tuple[int, str]] = set()
    home = profile.home_region
    if roles & SCOPE_REGION and home is not None:
        regions.add(home.path)
    if Role.LEADER in roles:
        if profile.department_id:
            lines.add((profile.department.line_id, profile.department.region.path))
        elif home is not None:
            regions.add(home.path)
    if roles & SCOPE_CENTER_NETWORK and profile.center_id:
        regions.add(profile.center.region.path)
    if roles & SCOPE_CENTER and profile.center_id:
        centers.add(profile.center_id)
    if roles & SCOPE_DEPARTMENT and profile.department_id:
        departments.add(profile.department_id)
    if any(len(p.strip("/").split("/")) == 1 for p in regions):
        return Scope.all()
    return Scope(
        region_paths=frozenset(regions),
        center_ids=frozenset(centers),
        department_ids=frozenset(departments),
        line_paths=frozenset(lines),
    )
