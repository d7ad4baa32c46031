"""Citing: references (APA, short references, locations), evidence briefs and BibTeX."""
