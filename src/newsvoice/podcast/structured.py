"""What an episode page says about itself to machines: Open Graph and Twitter card tags for
sharing, and schema.org ``PodcastEpisode`` JSON-LD (its audio, its transcript, its series).

Absolute URLs need the site's ``base_url``; without one only the tags that need none are
written. JSON-LD is a data block, never run, so the page's CSP (``script-src 'self'``) does
not apply to it; it is serialised by ``json`` with every ``<`` escaped, so no text in it can
close the element.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from lxml import etree

from ..text import squash
from .feed import FEED_NAME, episode_url, web_url

if TYPE_CHECKING:
    from .config import PodcastConfig
    from .episode import Episode


def iso_duration(ms: int) -> str:
    """``PT4M21S``: ISO 8601, as schema.org durations are written."""
    seconds = max(1, round(ms / 1000))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return (
        "PT"
        + (f"{hours}H" if hours else "")
        + (f"{minutes}M" if minutes else "")
        + (f"{seconds}S" if seconds else "")
    )


def transcript_text(episode: Episode) -> str:
    return " ".join(squash(line.text) for line in episode.lines)


def episode_json_ld(config: PodcastConfig, episode: Episode) -> dict[str, Any]:
    base = config.base_url
    audio: dict[str, Any] = {
        "@type": "AudioObject",
        "encodingFormat": "audio/mpeg",
        "duration": iso_duration(episode.duration_ms),
        "contentSize": f"{episode.audio_bytes} B",
        "transcript": transcript_text(episode),
        "inLanguage": episode.language,
    }
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "PodcastEpisode",
        "name": squash(episode.headline),
        "datePublished": episode.published.isoformat(),
        "dateModified": episode.updated.isoformat(),
        "inLanguage": episode.language,
        "timeRequired": iso_duration(episode.duration_ms),
        "associatedMedia": audio,
        "isPartOf": {"@type": "PodcastSeries", "name": squash(config.title)},
        "accessMode": ["auditory", "textual"],
        "accessibilityFeature": ["transcript", "synchronizedAudioText", "structuralNavigation"],
        "accessibilitySummary": (
            f"Narrated by a synthetic voice ({episode.voice}), with the full text as a "
            "read-along transcript that highlights each sentence as it is read."
        ),
    }
    if episode.standfirst:
        data["description"] = squash(episode.standfirst)
    if episode.byline:
        data["author"] = {"@type": "Person", "name": squash(episode.byline)}
    original = web_url(episode.url)
    if original:
        data["isBasedOn"] = original
    if base:
        data["url"] = episode_url(base, episode)
        audio["contentUrl"] = episode_url(base, episode, episode.audio)
        data["isPartOf"].update({"url": base, "webFeed": base + FEED_NAME})
        if episode.image:
            data["image"] = episode_url(base, episode, episode.image)
    return data


def _meta(attribute: str, name: str, content: str) -> etree._Element:
    return etree.Element("meta", {attribute: name, "content": squash(content)})


def sharing_tags(config: PodcastConfig, episode: Episode) -> list[etree._Element]:
    """Open Graph and Twitter card ``<meta>`` elements, then the JSON-LD block."""
    description = squash(episode.standfirst or episode.headline)[:300]
    tags = [
        _meta("property", "og:type", "article"),
        _meta("property", "og:title", episode.headline),
        _meta("property", "og:description", description),
        _meta("property", "og:site_name", config.title),
        _meta("property", "og:locale", episode.language.replace("-", "_")),
        _meta("name", "twitter:card", "summary"),
        _meta("name", "twitter:title", episode.headline),
        _meta("name", "twitter:description", description),
    ]
    base = config.base_url
    if base:
        tags.append(_meta("property", "og:url", episode_url(base, episode)))
        tags.append(_meta("property", "og:audio", episode_url(base, episode, episode.audio)))
        tags.append(_meta("property", "og:audio:type", "audio/mpeg"))
        if episode.image:
            image = episode_url(base, episode, episode.image)
            tags.append(_meta("property", "og:image", image))
            tags.append(_meta("property", "og:image:alt", f"Cover: {episode.headline}"))
            tags.append(_meta("name", "twitter:image", image))
    script = etree.Element("script", {"type": "application/ld+json"})
    text = json.dumps(episode_json_ld(config, episode), ensure_ascii=False, separators=(",", ":"))
    script.text = text.replace("<", "\\u003c")  # no "</script" or "<!--" in the data
    tags.append(script)
    return tags
