"""Speech text: turn display text into text a TTS engine reads correctly.

``normalize`` rewrites abbreviations, numbers, money, symbols and acronyms; ``split_sentences``
cuts normalised text into engine-sized sentences; ``lexicon`` respells names engines get wrong.
"""
