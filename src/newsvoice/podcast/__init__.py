"""Podcast publishing: the site settings, episode records, the feed, the pages."""
