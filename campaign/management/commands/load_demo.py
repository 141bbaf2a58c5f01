from django.core.management import call_command
from django.core.management.base import BaseCommand

from petitions.demo import create_demo_petitions


class Command(BaseCommand):
    help = "Fill the site with demo content a newcomer can click through. Safe to run again."

    def handle(self, *args: object, **options: object) -> None:
        petitions = create_demo_petitions()
        # After the petitions, so the 2000 announcement links to the Tiananmen Mothers petition.
        call_command("import_statements", stdout=self.stdout)
        self.stdout.write(f"Demo content ready: {len(petitions)} petition(s).")
