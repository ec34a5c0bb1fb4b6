"""“One thing” bundles (一件事): a life event made of several matters."""

from __future__ import annotations

from django.db import models

from onewindow.catalog.models.guides import Matter


class Bundle(models.Model):
    """A "one thing" (一件事) life event: several matters, one merged guide (R-CASE-7)."""

    code = models.SlugField("编码", max_length=60, unique=True)
    name = models.CharField("名称", max_length=100, help_text="如：我要开饭店")
    description = models.TextField("说明", blank=True)
    keywords = models.CharField("检索词", max_length=300, blank=True)
    matters = models.ManyToManyField(Matter, through="BundleItem", related_name="bundles")
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "一件事"
        verbose_name_plural = "一件事"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class BundleItem(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="items")
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    optional = models.BooleanField("按需办理", default=False)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["bundle", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "matter"], name="bundle_matter_once")
        ]

    def __str__(self) -> str:
        return f"{self.bundle.name} · {self.matter.name}"
