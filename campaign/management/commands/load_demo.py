from django.core.management.base import BaseCommand

from petitions.demo import create_demo_petitions


class Command(BaseCommand):
    help = "Fill the site with demo content a newcomer can click through. Safe to run again."

    def handle(self, *args: object, **options: object) -> None:
        petitions = create_demo_petitions()
        self.stdout.write(f"Demo content ready: {len(petitions)} petition(s).")
