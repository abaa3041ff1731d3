"""What a browser sees: the agenda at `/`, GraphiQL's page, and our static files under one CSP.

Every script, style and font is served from `static/` under a content-hashed path; nothing comes
from a CDN. May import the standard library and Starlette only; never the endpoint's internals,
observability or the schema (pages talk to the API over HTTP, as any client does; the documents
page reads its texts from the loaded store).
"""
