<?xml version="1.0" encoding="UTF-8"?>
<!--
  newsvoice's shipped French pronunciation lexicon (W3C PLS 1.0), applied when eSpeak NG
  reads an article in French. Each <alias> is a respelling that engine reads right; every
  entry was checked against the engine's phonemes for the name as written and as respelled.
  Names the engine already says well are left out on purpose. Users add or override entries
  with their own lexicon file (the option is named in the English lexicon and the README).
-->
<lexicon version="1.0"
         xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://www.w3.org/2005/01/pronunciation-lexicon http://www.w3.org/TR/2008/REC-pronunciation-lexicon-20081014/pls.xsd"
         alphabet="ipa" xml:lang="fr">
  <lexeme><grapheme>Brexit</grapheme><alias>Brexite</alias></lexeme>
  <lexeme><grapheme>Twitter</grapheme><alias>Twitteur</alias></lexeme>
  <lexeme><grapheme>YouTube</grapheme><alias>You-tioube</alias></lexeme>
  <lexeme><grapheme>Uber</grapheme><alias>Oubeur</alias></lexeme>
  <lexeme><grapheme>Biden</grapheme><alias>Baïdeune</alias></lexeme>
  <lexeme><grapheme>Joe Biden</grapheme><alias>Djo Baïdeune</alias></lexeme>
  <lexeme><grapheme>Airbnb</grapheme><alias>Ère bi enne bi</alias></lexeme>
  <lexeme><grapheme>iPhone</grapheme><alias>Aïe-faune</alias></lexeme>
</lexicon>
