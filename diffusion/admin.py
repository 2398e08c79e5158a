from django.contrib import admin

from .models import (
    Chapter,
    ChapterMeeting,
    ChapterMember,
    DiffusionPlan,
    ImpactStory,
    Pilot,
    PilotMilestone,
    PilotStep,
    PilotUpdate,
    PlannedActivity,
    Recipient,
    ReportBack,
    SponsorReportDelivery,
    SponsorReportOptOut,
)


class PlannedActivityInline(admin.TabularInline):
    model = PlannedActivity
    extra = 0


@admin.register(DiffusionPlan)
class DiffusionPlanAdmin(admin.ModelAdmin):
    list_display = ("peer", "programme", "organisation", "status", "confirmed_at")
    list_filter = ("status", "programme")
    search_fields = ("peer__email", "peer__full_name")
    inlines = [PlannedActivityInline]


class RecipientInline(admin.TabularInline):
    model = Recipient
    fk_name = "report_back"
    extra = 0
    fields = ("email", "depth", "shared_by", "link_sent_at", "answered_at")
    readonly_fields = ("depth", "shared_by", "link_sent_at", "answered_at")


@admin.register(ReportBack)
class ReportBackAdmin(admin.ModelAdmin):
    list_display = ("title", "peer", "programme", "held_on", "level", "audience_size")
    list_filter = ("level", "programme")
    search_fields = ("title", "peer__email")
    inlines = [RecipientInline]


class ChapterMemberInline(admin.TabularInline):
    model = ChapterMember
    extra = 0


class ChapterMeetingInline(admin.TabularInline):
    model = ChapterMeeting
    extra = 0


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "programme", "founded_by", "launched_on")
    list_filter = ("country", "programme")
    inlines = [ChapterMemberInline, ChapterMeetingInline]


class PilotStepInline(admin.TabularInline):
    model = PilotStep
    extra = 0


class PilotMilestoneInline(admin.TabularInline):
    model = PilotMilestone
    extra = 0


class PilotUpdateInline(admin.TabularInline):
    model = PilotUpdate
    extra = 0


@admin.register(Pilot)
class PilotAdmin(admin.ModelAdmin):
    list_display = ("title", "lead", "programme", "status", "starts_on", "ends_on")
    list_filter = ("status", "programme")
    inlines = [PilotStepInline, PilotMilestoneInline, PilotUpdateInline]


@admin.register(ImpactStory)
class ImpactStoryAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "programme", "happened_on")
    list_filter = ("kind", "programme")
    filter_horizontal = ("peers", "pilots")


@admin.register(SponsorReportDelivery)
class SponsorReportDeliveryAdmin(admin.ModelAdmin):
    list_display = ("membership", "month", "sent_at")


@admin.register(SponsorReportOptOut)
class SponsorReportOptOutAdmin(admin.ModelAdmin):
    list_display = ("membership", "created_at")
