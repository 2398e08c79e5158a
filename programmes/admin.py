from django.contrib import admin

from . import models
from .models import Cohort, Invitation, Membership, Organisation, Programme


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "domain", "starts_on", "ends_on")
    search_fields = ("name", "domain")
    inlines = [CohortInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "kind")
    list_filter = ("kind", "country")
    search_fields = ("name",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "programme", "role", "organisation", "cohort")
    list_filter = ("role", "programme")
    search_fields = ("user__email", "user__full_name")
    autocomplete_fields = ("user",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "programme", "role", "status", "sent_at", "accepted_at")
    list_filter = ("status", "role", "programme")
    search_fields = ("email",)


@admin.register(models.TheoryOfChange)
class TheoryOfChangeAdmin(admin.ModelAdmin):
    list_display = ("programme", "updated_at")


@admin.register(models.LearningObjective)
class LearningObjectiveAdmin(admin.ModelAdmin):
    list_display = ("text", "programme", "goal_type", "position")
    list_filter = ("goal_type", "programme")


@admin.register(models.WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "cohort")
    list_filter = ("cohort__programme",)


@admin.register(models.Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ("email", "organisation", "programme", "authorised_at", "method")
    list_filter = ("programme", "method")
    search_fields = ("email", "full_name")


@admin.register(models.SponsorCommitment)
class SponsorCommitmentAdmin(admin.ModelAdmin):
    list_display = ("organisation", "programme", "committed_at")


@admin.register(models.ContractSignature)
class ContractSignatureAdmin(admin.ModelAdmin):
    list_display = ("membership", "signed_name", "signed_at", "countersigned_at")


@admin.register(models.Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("title", "programme", "kind", "starts_at")
    list_filter = ("kind", "programme")
    search_fields = ("title",)


@admin.register(models.Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("logged_by", "with_user", "occurred_on", "channel", "confirmed_at")
    list_filter = ("channel", "programme")


@admin.register(models.KnowledgeProduct)
class KnowledgeProductAdmin(admin.ModelAdmin):
    list_display = ("title", "programme", "origin", "view_count", "download_count")
    list_filter = ("origin", "programme")
