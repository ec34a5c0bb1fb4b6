"""The self-service terminal's local devices (R-HALL-7): the identity-card reader and the
document camera answer a small HTTP protocol on the terminal itself
(docs/terminal-devices.md); ``simulator`` is a real server speaking it for tests, the
demo and development (``onewindow device-simulator``)."""
