"""The Courtside dashboard: a Flask app over the operator views, charts drawn as SVG on the server."""
