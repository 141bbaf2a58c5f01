import io

import qrcode
import qrcode.image.svg
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Give a staff member a TOTP device (authenticator app) and print its otpauth:// link and "
        "QR code. The bootstrap for the first staff login when STAFF_REQUIRE_2FA is on; later "
        "devices can be added in the admin (OTP > TOTP devices, which shows the QR code)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="authenticator", help="Label of the device.")
        parser.add_argument("--svg", help="Also write the QR code to this SVG file.")

    def handle(self, *args, username: str, name: str, svg: str | None, **options) -> None:
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No user named {username!r}.") from error
        if not user.is_staff:
            raise CommandError(f"{username!r} is not a staff member.")

        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        code = qrcode.QRCode(border=2)
        code.add_data(device.config_url)
        terminal = io.StringIO()
        code.print_ascii(out=terminal)
        if svg:
            qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).save(svg)

        self.stdout.write(terminal.getvalue())
        self.stdout.write(device.config_url)
        self.stdout.write(
            f"Added TOTP device {device.pk} for {username}: scan the code or open the link in an "
            "authenticator app, then log in to the admin with its six-digit code."
        )
