"""Staff management of the centers (R-STAFF-1, R-STAFF-2, R-STAFF-4): stationed staff
and their postings, the center's own teams, training and clearance for the window,
conduct spot checks."""
