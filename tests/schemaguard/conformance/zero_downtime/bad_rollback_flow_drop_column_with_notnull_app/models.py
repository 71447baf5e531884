from django.db import models


class TestTable(models.Model):
    pass
