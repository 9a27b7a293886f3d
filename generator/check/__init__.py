"""`jobpicks check`: are earlier picks still open? The first day a pick is seen closed is
recorded on its day page (`Pick.closed`), and the last day of any clear answer
(`Pick.checked`), so the archive stops sending readers to dead links and says what it knows.

Signals, strongest first, and never "closed" on ambiguity:

1. A pick from a company board (Greenhouse, Lever, Ashby) missing from the board's payload
   today is closed; each board is fetched once per check, however many of its picks there are.
   A listed Greenhouse job whose `application_deadline` has passed is closed too.
2. Otherwise the posting's URL: 404 or 410, a redirect to the board's listing or search page,
   or a page whose own text says so ("no longer accepting applications") is closed; a page
   that shows the posting is open. 403, 429, 999, 5xx, timeouts, bot walls, a URL robots.txt
   disallows, an internal address and anything else are unknown, and unknown picks are
   simply checked again on a later day.

The modules: `classify` (reading one answer), `listings` (board payloads), `polite` (the HTTP
layer: per-host slots, robots.txt, pauses, cap and deadline), `guard` (no internal
addresses), `history` (which picks are due, and writing verdicts back), `run` (the check).

Nothing is imported here: the site reads `history`'s schedule for its open counts, and
every command would otherwise load the HTTP layer (httpx, robots.txt) the check alone needs.
"""
