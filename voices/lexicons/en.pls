<?xml version="1.0" encoding="UTF-8"?>
<!--
  newsvoice's shipped English pronunciation lexicon (W3C PLS 1.0).

  Each <alias> is a respelling that an English engine (hibari, piper, espeak-ng) reads right;
  entries were checked against hibari's and espeak-ng's phonemes for the name as written.
  Graphemes match whole words, case-sensitively, longest first. <phoneme> entries would be
  skipped: the engines take plain text. Names the engines already say well (Beijing,
  Netanyahu, Guardiola) are left out on purpose.

  Users extend or override it with  newsvoice audio ... ‐‐lexicon FILE  (a PLS or a TOML
  file with language = "en" and an [aliases] table); later files win for the same grapheme.
  (Type the option with two ASCII hyphens: an XML comment may not contain them.)
-->
<lexicon version="1.0"
         xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://www.w3.org/2005/01/pronunciation-lexicon http://www.w3.org/TR/2008/REC-pronunciation-lexicon-20081014/pls.xsd"
         alphabet="ipa" xml:lang="en">
  <lexeme><grapheme>Pyongyang</grapheme><alias>Pyong yahng</alias></lexeme>
  <lexeme><grapheme>Kim Jong-un</grapheme><grapheme>Kim Jong Un</grapheme><alias>Kim Jong Oon</alias></lexeme>
  <lexeme><grapheme>Wang Yi</grapheme><alias>Wahng Yee</alias></lexeme>
  <lexeme><grapheme>Wang</grapheme><alias>Wahng</alias></lexeme>
  <lexeme><grapheme>Xi Jinping</grapheme><alias>Shee Jin ping</alias></lexeme>
  <lexeme><grapheme>Xi</grapheme><alias>Shee</alias></lexeme>
  <lexeme><grapheme>Li Qiang</grapheme><alias>Lee Chahng</alias></lexeme>
  <lexeme><grapheme>Guangzhou</grapheme><alias>Gwahng joe</alias></lexeme>
  <lexeme><grapheme>Shenzhen</grapheme><alias>Shen jen</alias></lexeme>
  <lexeme><grapheme>Xinjiang</grapheme><alias>Shin jahng</alias></lexeme>
  <lexeme><grapheme>Volodymyr</grapheme><alias>Vollo deemeer</alias></lexeme>
  <lexeme><grapheme>Zelenskyy</grapheme><grapheme>Zelenskiy</grapheme><alias>Zelensky</alias></lexeme>
  <lexeme><grapheme>Kyiv</grapheme><alias>Keev</alias></lexeme>
  <lexeme><grapheme>Kharkiv</grapheme><alias>Khar keev</alias></lexeme>
  <lexeme><grapheme>Mykolaiv</grapheme><alias>Mee ko lah eev</alias></lexeme>
  <lexeme><grapheme>Bakhmut</grapheme><alias>Bahk moot</alias></lexeme>
  <lexeme><grapheme>Navalny</grapheme><alias>Nah vahl nee</alias></lexeme>
  <lexeme><grapheme>Qatar</grapheme><alias>Kutter</alias></lexeme>
  <lexeme><grapheme>Hezbollah</grapheme><alias>Hez bo lah</alias></lexeme>
  <lexeme><grapheme>Houthi</grapheme><alias>Hoothee</alias></lexeme>
  <lexeme><grapheme>Houthis</grapheme><alias>Hootheez</alias></lexeme>
  <lexeme><grapheme>Khamenei</grapheme><alias>Khah meh nay</alias></lexeme>
  <lexeme><grapheme>Erdogan</grapheme><grapheme>Erdoğan</grapheme><alias>Erdo wahn</alias></lexeme>
  <lexeme><grapheme>Tigray</grapheme><alias>Tig ray</alias></lexeme>
  <lexeme><grapheme>Ghebreyesus</grapheme><alias>Gheb ray yesus</alias></lexeme>
  <lexeme><grapheme>Guterres</grapheme><alias>Goo terresh</alias></lexeme>
  <lexeme><grapheme>Sinaloa</grapheme><alias>Seena lo ah</alias></lexeme>
  <lexeme><grapheme>Sheinbaum</grapheme><alias>Shayn baum</alias></lexeme>
  <lexeme><grapheme>Nguyen</grapheme><alias>Win</alias></lexeme>
  <lexeme><grapheme>Taoiseach</grapheme><alias>Tee shock</alias></lexeme>
  <lexeme><grapheme>Mourinho</grapheme><alias>Mo reen yoh</alias></lexeme>
  <lexeme><grapheme>Pochettino</grapheme><alias>Potchet teeno</alias></lexeme>
  <lexeme><grapheme>Ancelotti</grapheme><alias>Anche lotti</alias></lexeme>
</lexicon>
