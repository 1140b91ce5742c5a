from django import forms

from .models import Membership, Organisation, OrganisationKind


class OrganisationForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label="What are you registering?",
        choices=[(k.value, k.label) for k in OrganisationKind if k != OrganisationKind.PUBLIC_BODY],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Organisation
        fields = [
            "name", "kind", "company_number", "address", "region", "website", "employees", "turnover", "sectors",
            "description",
        ]  # fmt: skip
        labels = {
            "name": "Organisation name",
            "company_number": "Company or charity number",
            "region": "Where are you based?",
            "website": "Website",
            "employees": "Number of employees",
            "turnover": "Annual turnover in pounds",
            "description": "Short public description",
            "address": "Registered address",
            "sectors": "Sectors you work in",
        }
        help_texts = {
            "employees": "Everyone on the payroll, full or part time. We use this to report support for SMEs.",
            "turnover": "From your latest accounts, in whole pounds, for example 250000.",
            "website": "For example, https://example.co.uk",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "address": forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
            "sectors": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].required = True
        self.fields["employees"].required = True
        self.fields["turnover"].required = True
        self.fields["employees"].error_messages["required"] = "Enter the number of employees"
        self.fields["turnover"].error_messages["required"] = "Enter your annual turnover"
        self.fields["name"].error_messages["required"] = "Enter the organisation name"
        self.fields["region"].error_messages["required"] = "Select where you are based"
        self.fields["kind"].error_messages["required"] = "Select what you are registering"


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter the email address of the person to invite",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    role = forms.ChoiceField(
        label="Their role in the organisation",
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        widget=forms.RadioSelect,
        help_text="Administrators can invite others and manage the organisation.",
    )
