"""Events whose user-recorded strings try to become markup or live links (the web view must show them as text)."""

SCRIPT_TITLE = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">Osaka–Busan MoU"
EVENTS = [
    {"type": "MoUSigned", "cities": ["Osaka, JP", "Busan, KR"], "date": "2001-03", "tier": "friendship", "instrument": "mou",
     "note": "<i>not italic</i>",
     "source": {"title": SCRIPT_TITLE, "url": "javascript:window.__pwned = 3", "publisher": "<b>not bold</b>"}},
    {"type": "CommemorationHeld", "cities": ["Osaka, JP", "Busan, KR"], "date": "2011-03-15", "what": "tenth anniversary",
     "source": {"title": "Osaka city news", "url": "https://www.city.osaka.lg.jp/news"}},
]
