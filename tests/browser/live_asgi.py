"""The ASGI application the live-session browser tests run under daphne: the project's, with the
static files served as runserver would (channels' ChannelsLiveServerTestCase does the same)."""

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

from matchplats.asgi import application as project_application

application = ASGIStaticFilesHandler(project_application)
