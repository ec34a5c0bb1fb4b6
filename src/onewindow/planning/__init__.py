"""Pure models of the hall: which ticket a window calls next (``queueing``), the
statistics of waits and loads (``statmath``), and what window planning (R-HALL-4)
builds on them. No Django import: every module here is tested without a database."""
