"""The hall's own pages, by topic: the hall display (``screens``), the window console
(``console``), the center administrator's appointments and home visits
(``appointments``) and hall set-up (``setup``). The pages a citizen sees without signing
in (the terminal, the ticket's pages, booking) live in ``portal/views/hall``."""
