"""What every admin page of ours names: the site's time zone, once per page
(``admin/imports/_time_zone.html``), the zone its date-times are shown in."""

from django.http import HttpRequest

from imports.conf import default_time_zone


def site_time_zone(request: HttpRequest) -> dict[str, str]:
    return {"site_time_zone": default_time_zone()}
