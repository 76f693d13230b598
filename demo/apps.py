from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The Tech Works demo event (``manage.py seed_demo``): the top of the app layers, it
    writes only through the services of the apps below it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "Demo"
