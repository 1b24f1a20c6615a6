from django.contrib import admin

from matchplats.taxonomy import models


@admin.register(models.SsykGroup)
class SsykGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "level", "occupation_field"]
    list_filter = ["level", "occupation_field"]
    search_fields = ["code", "label"]


@admin.register(models.OccupationName)
class OccupationNameAdmin(admin.ModelAdmin):
    list_display = ["label", "ssyk4"]
    search_fields = ["label", "ssyk4__code"]


@admin.register(models.Kommun)
class KommunAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "lan"]
    list_filter = ["lan"]
    search_fields = ["code", "label"]


@admin.register(models.Lan)
class LanAdmin(admin.ModelAdmin):
    list_display = ["code", "label"]
    search_fields = ["label"]


@admin.register(models.SunField)
class SunFieldAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "level"]
    list_filter = ["level"]
    search_fields = ["code", "label"]


for model in (models.OccupationField, models.Skill, models.SunLevel, models.SeqfLevel):
    admin.site.register(model, search_fields=["label"])
