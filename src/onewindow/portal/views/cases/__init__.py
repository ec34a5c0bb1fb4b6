"""The citizen's case pages, no sign-in: the progress lookup (the website's and the
self-service terminal's) and online application by its secret link."""
