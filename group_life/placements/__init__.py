"""Long-term embedded peer advisers: a peer from one organisation placed in another for weeks
or months, with goals, check-ins and a reflection at the end of the placement."""
