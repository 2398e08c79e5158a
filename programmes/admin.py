from django.contrib import admin

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
