"""The GraphQL types of a recap, and what builds them from store records.

`sessions.py` (Day, Session) and `projects.py` (Project, Recommendation, Topic) are the linked types,
`recap.py` the Recap; `links.py` holds every lazy alias for the fields that point back; `surface.py`
is what Recap and the root Query answer alike. May import `schema.context`, `schema.error_codes`,
`resolvers` and `store`; never the limits, errors, execution or the root Query.
"""
