<?xml version="1.0" encoding="UTF-8"?>
<!--
  newsvoice's shipped German pronunciation lexicon (W3C PLS 1.0), applied when eSpeak NG
  reads an article in German. Each <alias> is a respelling that engine reads right; every
  entry was checked against the engine's phonemes for the name as written and as respelled.
  Names the engine already says well are left out on purpose. Users add or override entries
  with their own lexicon file (the option is named in the English lexicon and the README).
-->
<lexicon version="1.0"
         xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://www.w3.org/2005/01/pronunciation-lexicon http://www.w3.org/TR/2008/REC-pronunciation-lexicon-20081014/pls.xsd"
         alphabet="ipa" xml:lang="de">
  <lexeme><grapheme>Facebook</grapheme><alias>Fejsbuck</alias></lexeme>
  <lexeme><grapheme>Biden</grapheme><alias>Beiden</alias></lexeme>
  <lexeme><grapheme>Joe Biden</grapheme><alias>Dschoh Beiden</alias></lexeme>
  <lexeme><grapheme>Johnson</grapheme><alias>Dschonsen</alias></lexeme>
  <lexeme><grapheme>Boris Johnson</grapheme><alias>Boris Dschonsen</alias></lexeme>
  <lexeme><grapheme>iPhone</grapheme><alias>Ei-Fohn</alias></lexeme>
  <lexeme><grapheme>Airbnb</grapheme><alias>Ähr-bi-en-bi</alias></lexeme>
</lexicon>
