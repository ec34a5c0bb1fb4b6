"""The hall's pages a citizen sees without signing in (R-HALL-2, R-HALL-6, R-HALL-7):
the self-service terminal (``terminal``), a ticket taken on the portal, its slip and its
status page (``tickets``), booking, cancelling, checking in and asking for a home visit
(``booking``). The paths stay under ``/hall/``; the names are ``portal:<name>``."""
