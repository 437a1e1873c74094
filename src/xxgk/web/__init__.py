"""The web application (``xxgk serve``): review, authoring, overview and accounts in a browser,
in Chinese, with a JSON API for the same operations.

``app.create_app(db_url)`` builds the FastAPI application; ``accounts`` keeps users, roles and
scopes; ``security`` the session, CSRF and upload-size guards; ``uploads`` stores uploaded files
through the ingest pipeline; ``views`` turns stored reports into what the pages show;
``overview`` and ``charts`` the regional summary; ``pages`` and ``api`` the routes.
"""
