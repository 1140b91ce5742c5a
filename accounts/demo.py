"""Demo sign-ins, one per role. Privileged roles get a known two-factor secret so the demo is usable."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP

from civtech.demo_data import DemoRun, DemoStep

from .models import User
from .roles import Role
from .services import user_grant_role

DEMO_PASSWORD = "civtech-demo-password"
# A fixed base32 secret: add it to any authenticator app to sign in as a privileged demo user.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@dataclass(frozen=True)
class DemoUser:
    email: str
    first_name: str
    last_name: str
    role: Role


DEMO_USERS = [
    DemoUser("staff@civtech.example", "Fiona", "Campbell", Role.PROGRAMME_STAFF),
    DemoUser("sponsor@transport.example", "Callum", "Reid", Role.SPONSOR),
    DemoUser("assessor@civtech.example", "Aisha", "Khan", Role.ASSESSOR),
    DemoUser("applicant@thistle.example", "Ewan", "Stewart", Role.APPLICANT),
]


def seed(*, log) -> list[tuple[DemoUser, str | None]]:
    """The demo people; organisations' demo makes them members of their bodies and companies."""
    results = []
    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=demo.email, defaults={"first_name": demo.first_name, "last_name": demo.last_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(user=user, email=demo.email, defaults={"verified": True, "primary": True})
        user_grant_role(user=user, role=demo.role)
        recovery_code = None
        if demo.role != Role.APPLICANT:
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, DEMO_TOTP_SECRET)
                RecoveryCodes.activate(user)
            recovery = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
            recovery_code = RecoveryCodes(recovery).get_unused_codes()[0]
        results.append((demo, recovery_code))
        log(f"users: {demo.email} {'created' if created else 'already present'}")
    return results


def _step(run: DemoRun) -> None:
    run.made["users"] = seed(log=run.log)


DEMO_STEPS = [DemoStep(10, _step)]
