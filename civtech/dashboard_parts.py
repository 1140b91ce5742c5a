"""The account dashboard, app by app (issue #19, item 6): each app lists in its `dashboard.py` the sections it adds
to the page everyone lands on after signing in (`DASHBOARD_SECTIONS`) and its links in the programme staff's list
(`PROGRAMME_LINKS`); accounts.views.dashboard finds them through the app registry. A new app adds its section in its
own folder."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DashboardSection:
    """A section of the dashboard: `template` is included with the page's context (`user`, `roles`: the labels of
    the person's roles, `is_staff`), shown to anyone with one of `roles` (role values), or to everyone when
    `roles` is empty and `staff` is False; `staff` shows it to programme staff as well. `order` places it: 10–70
    the person's work in the order of the journey, 80–90 their account and organisations."""

    order: int
    template: str
    roles: frozenset[Any] = frozenset()
    staff: bool = False

    def shown_to(self, roles: frozenset[Any], is_staff: bool) -> bool:
        if not self.roles and not self.staff:
            return True
        return bool(self.roles & roles) or (self.staff and is_staff)


@dataclass(frozen=True)
class ProgrammeLink:
    """A line of the programme staff's list: where their work in this app is, and what it is for."""

    order: int
    url_name: str
    label: str
    purpose: str
