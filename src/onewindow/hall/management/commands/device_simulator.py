"""``onewindow device-simulator``: the terminal's local device service, simulated
(docs/terminal-devices.md), for the demo and development."""

from django.core.management.base import BaseCommand

from onewindow.hall.devices.simulator import (
    DEFAULT_PORT,
    SIMULATOR_TERMINAL,
    DeviceSimulator,
    DeviceState,
)


class Command(BaseCommand):
    help = "模拟自助终端的身份证读卡器和高拍仪（本机HTTP服务，见 docs/terminal-devices.md）。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=DEFAULT_PORT)
        parser.add_argument("--no-card", action="store_true", help="读卡区没有身份证")
        parser.add_argument("--no-camera", action="store_true", help="不连接高拍仪")
        parser.add_argument(
            "--terminal", default=SIMULATOR_TERMINAL, help="终端设备编号（写入审计日志）"
        )

    def handle(self, *args, **options):
        state = DeviceState(camera_present=not options["no_camera"], terminal=options["terminal"])
        if options["no_card"]:
            state.card = None
        simulator = DeviceSimulator(options["host"], options["port"], state)
        self.stdout.write(f"终端设备模拟服务：{simulator.url}（Ctrl+C 结束）")
        try:
            simulator.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            simulator.server.server_close()
