"""Monitoring of the units' humas work: the office dashboard, the weekly
email to Admin Humas, the leaderboard and the yearly evaluation export."""
