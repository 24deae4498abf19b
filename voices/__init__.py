"""Voice presets (*.toml) and pronunciation lexicons (lexicons/), shipped as package data."""
