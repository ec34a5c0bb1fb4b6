from django.core.management.base import BaseCommand, CommandError

from onewindow.core.tokens import api_client_create
from onewindow.org.models import Region


class Command(BaseCommand):
    help = "Register a machine integration (e.g. the 12345 hotline) and print its key once."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("region_code", help="the region whose subtree the client may read")

    def handle(self, *args, name, region_code, **options):
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            raise CommandError(f"未找到区划 {region_code}")
        client, key = api_client_create(actor=None, name=name, region=region)
        self.stdout.write(f"接入系统“{client.name}”已创建，范围：{region.name}")
        self.stdout.write(f"密钥（只显示这一次）：{key}")
        self.stdout.write("调用时请求头：X-Api-Key: <密钥>")
