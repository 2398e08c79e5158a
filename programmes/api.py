"""REST endpoints of programmes (``/api/v1/``)."""

from typing import Any, cast

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from peerlearn.api import RulesPermission, id_filter, router
from peerlearn.contacts import AddressBook
from peerlearn.http import AuthenticatedRequest
from peerlearn.roles import roles_in
from peerlearn.users.models import User

from . import selectors, services
from .models import Activity, Attendance, Cohort, Contact, Membership, Organisation, Programme


class ProgrammeSerializer(serializers.ModelSerializer[Programme]):
    my_roles = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = (
            "id",
            "name",
            "domain",
            "description",
            "working_languages",
            "starts_on",
            "ends_on",
            "my_roles",
        )
        read_only_fields = ("id", "my_roles")

    def get_my_roles(self, programme: Programme) -> list[str]:
        return sorted(roles_in(self.context["request"].user, programme))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        starts = attrs.get("starts_on", getattr(self.instance, "starts_on", None))
        ends = attrs.get("ends_on", getattr(self.instance, "ends_on", None))
        if starts and ends and ends < starts:
            raise serializers.ValidationError(
                {"ends_on": _("The end date is before the start date.")}
            )
        return attrs


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    """A person's role in a programme. The email address is given only to whom may read it
    (``peerlearn.contacts``): staff, the person's group and pair; null for anyone else."""

    email = serializers.SerializerMethodField()
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    organisation: serializers.StringRelatedField[Organisation] = serializers.StringRelatedField()
    cohort: serializers.StringRelatedField[Cohort] = serializers.StringRelatedField()

    class Meta:
        model = Membership
        fields = ("id", "email", "full_name", "role", "organisation", "cohort", "joined_at")

    def get_email(self, membership: Membership) -> str | None:
        request = self.context.get("request")
        if request is None:
            return None
        books: dict[int, AddressBook] = self.context.setdefault(  # type: ignore[attr-defined]
            "address_books", {}
        )
        book = books.get(membership.programme_id)
        if book is None:
            book = books[membership.programme_id] = AddressBook(
                request.user, membership.programme_id
            )
        return (
            book.email_of(
                membership.user, role=membership.role, organisation_id=membership.organisation_id
            )
            or None
        )


class ProgrammeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Programme],
):
    """Programmes the user holds a role in. Facilitators may edit them."""

    serializer_class = ProgrammeSerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    object_permissions = {
        "retrieve": "programmes.view_programme",
        "update": "programmes.change_programme",
        "partial_update": "programmes.change_programme",
        "members": "programmes.view_programme",
    }

    def get_queryset(self) -> QuerySet[Programme]:
        return selectors.programmes_for(self.request.user)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.update_programme(
            programme=serializer.instance, **serializer.validated_data
        )

    @extend_schema(responses=MembershipSerializer(many=True))
    @action(detail=True, methods=["get"])
    def members(self, request: Request, pk: str | None = None) -> Response:
        programme = self.get_object()
        memberships = selectors.memberships_visible_to(request.user, programme)
        page = self.paginator.paginate_queryset(memberships, request, view=self)  # type: ignore[union-attr]
        serializer = MembershipSerializer(page, many=True, context={"request": request})
        return self.get_paginated_response(serializer.data)


router.register("programmes", ProgrammeViewSet, basename="programme")


def _in_user_programmes(user: Any, build: Any) -> Q:
    """OR of ``build(programme)`` Q objects over the user's programmes (nothing if none)."""
    query = Q(pk__in=[])
    for programme in selectors.programmes_for(user):
        query |= build(programme)
    return query


class CohortSerializer(serializers.ModelSerializer[Cohort]):
    class Meta:
        model = Cohort
        fields = ("id", "programme", "name", "starts_on", "ends_on")

    def validate_programme(self, programme: Programme) -> Programme:
        user = self.context["request"].user
        if not selectors.programmes_for(user).filter(pk=programme.pk).exists():
            raise serializers.ValidationError(_("Unknown programme."))
        if not user.has_perm("programmes.change_programme", programme):
            raise exceptions.PermissionDenied(_("Only facilitators add cohorts."))
        return programme


class CohortViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Cohort],
):
    """Cohorts of the user's programmes; facilitators add cohorts."""

    serializer_class = CohortSerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    object_permissions = {"retrieve": "programmes.view_programme"}

    def get_queryset(self) -> QuerySet[Cohort]:
        cohorts = Cohort.objects.filter(programme__in=selectors.programmes_for(self.request.user))
        programme = id_filter(self.request, "programme")
        if programme is not None:
            cohorts = cohorts.filter(programme_id=programme)
        return cohorts.order_by("programme_id", "name")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.add_cohort(
            programme=data["programme"],
            name=data["name"],
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
        )


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    class Meta:
        model = Organisation
        fields = ("id", "name", "country", "kind")


class OrganisationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Organisation]
):
    """Organisations the user may see in their programmes (a sponsor: their own)."""

    serializer_class = OrganisationSerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    object_permissions = {"retrieve": "programmes.view_listed_organisation"}

    def get_queryset(self) -> QuerySet[Organisation]:
        user = self.request.user
        ids: set[int] = set()
        for programme in selectors.programmes_for(user):
            ids.update(
                selectors.organisations_visible_to(user, programme).values_list("pk", flat=True)
            )
        return Organisation.objects.filter(pk__in=ids).order_by("name")


class EnrolmentSerializer(MembershipSerializer):
    organisation_id = serializers.IntegerField(read_only=True, allow_null=True)
    cohort_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Membership
        fields = (
            "id",
            "programme",
            "email",
            "full_name",
            "role",
            "organisation",
            "organisation_id",
            "cohort",
            "cohort_id",
            "joined_at",
        )


class EnrolmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Membership]
):
    """People's roles in programmes, as far as the user may see them."""

    serializer_class = EnrolmentSerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    object_permissions = {"retrieve": "programmes.view_programme"}

    def get_queryset(self) -> QuerySet[Membership]:
        user = self.request.user
        query = _in_user_programmes(
            user,
            lambda p: Q(pk__in=selectors.memberships_visible_to(user, p).values("pk")),
        )
        memberships = Membership.objects.filter(query).select_related(
            "user", "organisation", "cohort"
        )
        programme = id_filter(self.request, "programme")
        if programme is not None:
            memberships = memberships.filter(programme_id=programme)
        return memberships.order_by("programme_id", "role", "user__email")


class ActivitySerializer(serializers.ModelSerializer[Activity]):
    class Meta:
        model = Activity
        fields = (
            "id",
            "programme",
            "cohort",
            "working_group",
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "location",
            "reciprocal",
            "host_organisation",
            "visiting_organisations",
            "series",
        )
        read_only_fields = ("id", "series")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user = self.context["request"].user
        programme = attrs.get("programme", getattr(self.instance, "programme", None))
        if (
            self.instance is not None
            and "programme" in attrs
            and attrs["programme"].pk != self.instance.programme_id
        ):
            raise serializers.ValidationError({"programme": _("An activity cannot move.")})
        if programme is None or not selectors.programmes_for(user).filter(pk=programme.pk).exists():
            raise serializers.ValidationError({"programme": _("Unknown programme.")})
        if not user.has_perm("programmes.manage_activities", programme):
            raise exceptions.PermissionDenied(_("Only facilitators schedule activities."))
        return attrs


class ActivityViewSet(viewsets.ModelViewSet[Activity]):
    """Activities the user may see; facilitators schedule, change and cancel them."""

    request: AuthenticatedRequest
    serializer_class = ActivitySerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    object_permissions = {
        "retrieve": "programmes.view_activities",
        "update": "programmes.manage_activities",
        "partial_update": "programmes.manage_activities",
        "destroy": "programmes.manage_activities",
    }

    def get_queryset(self) -> QuerySet[Activity]:
        user = self.request.user
        query = _in_user_programmes(
            user, lambda p: Q(pk__in=selectors.activities_for(user, p).values("pk"))
        )
        activities = Activity.objects.filter(query)
        programme = id_filter(self.request, "programme")
        if programme is not None:
            activities = activities.filter(programme_id=programme)
        return activities.order_by("starts_at", "pk")

    def perform_create(self, serializer: Any) -> None:
        fields = dict(serializer.validated_data)
        activities = services.schedule_activity(
            programme=fields.pop("programme"),
            created_by=self.request.user,
            kind=fields.pop("kind"),
            title=fields.pop("title"),
            starts_at=fields.pop("starts_at"),
            ends_at=fields.pop("ends_at"),
            visiting_organisations=fields.pop("visiting_organisations", ()),
            **fields,
        )
        serializer.instance = activities[0]

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.update_activity(
            activity=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance: Activity) -> None:
        services.cancel_activity(activity=instance)


class AttendanceSerializer(serializers.ModelSerializer[Attendance]):
    class Meta:
        model = Attendance
        fields = ("id", "activity", "membership", "present", "recorded_at")
        read_only_fields = ("id", "recorded_at")
        validators: list[Any] = []  # posting again for the same person updates the record

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user = self.context["request"].user
        activity = attrs["activity"]
        programme = activity.programme
        if not selectors.programmes_for(user).filter(pk=programme.pk).exists():
            raise serializers.ValidationError({"activity": _("Unknown activity.")})
        if not user.has_perm("programmes.take_attendance", programme):
            raise exceptions.PermissionDenied(_("Only facilitators take attendance."))
        membership = attrs["membership"]
        if membership.programme_id != programme.pk or membership.role != "peer":
            raise serializers.ValidationError({"membership": _("Not a peer of this programme.")})
        return attrs


class AttendanceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Attendance],
):
    """Attendance: staff see everyone's, a peer their own. Posting again updates the record."""

    request: AuthenticatedRequest
    serializer_class = AttendanceSerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    object_permissions = {"retrieve": "programmes.view_activities"}

    def get_queryset(self) -> QuerySet[Attendance]:
        user = self.request.user

        def scope(programme: Programme) -> Q:
            if user.has_perm("programmes.view_people", programme):
                return Q(activity__programme=programme)
            return Q(activity__programme=programme, membership__user=user)

        attendance = Attendance.objects.filter(_in_user_programmes(user, scope))
        activity = id_filter(self.request, "activity")
        if activity is not None:
            attendance = attendance.filter(activity_id=activity)
        return attendance.select_related("activity", "membership").order_by("activity_id", "pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        attendance = services.set_attendance(
            activity=data["activity"],
            membership=data["membership"],
            present=data.get("present", True),
            user=self.request.user,
        )
        return Response(AttendanceSerializer(attendance).data, status=status.HTTP_201_CREATED)


class ContactSerializer(serializers.ModelSerializer[Contact]):
    confirmed = serializers.BooleanField(source="is_confirmed", read_only=True)

    class Meta:
        model = Contact
        fields = (
            "id",
            "programme",
            "logged_by",
            "with_user",
            "occurred_on",
            "channel",
            "topic",
            "confirmed",
            "confirmed_at",
            "created_at",
        )
        read_only_fields = ("id", "logged_by", "confirmed", "confirmed_at", "created_at")


class ContactViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Contact],
):
    """Contacts: a peer logs theirs and confirms those logged with them; staff read them all."""

    request: AuthenticatedRequest
    serializer_class = ContactSerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    object_permissions = {
        "retrieve": "programmes.view_contacts",
        "confirm": "programmes.confirm_contact",
    }

    def get_queryset(self) -> QuerySet[Contact]:
        user = self.request.user
        query = _in_user_programmes(
            user, lambda p: Q(pk__in=selectors.contacts_for(user, p).values("pk"))
        )
        contacts = Contact.objects.filter(query)
        programme = id_filter(self.request, "programme")
        if programme is not None:
            contacts = contacts.filter(programme_id=programme)
        return contacts.order_by("-occurred_on", "-pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        programme = data["programme"]
        if not selectors.programmes_for(request.user).filter(pk=programme.pk).exists():
            raise exceptions.ValidationError({"programme": _("Unknown programme.")})
        if not request.user.has_perm(
            "programmes.log_contact", programme
        ) or not selectors.my_peer_membership(request.user, programme):
            raise exceptions.PermissionDenied(_("Only peers log contacts."))
        contact = services.log_contact(
            programme=programme,
            logged_by=self.request.user,
            with_user=data["with_user"],
            occurred_on=data["occurred_on"],
            channel=data["channel"],
            topic=data.get("topic", ""),
        )
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ContactSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        contact = self.get_object()
        if contact.with_user_id != request.user.pk:
            raise exceptions.PermissionDenied(_("Only the other person of a contact confirms it."))
        services.confirm_contact(contact=contact, user=request.user)
        return Response(ContactSerializer(contact).data)


router.register("cohorts", CohortViewSet, basename="cohort")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
router.register("activities", ActivityViewSet, basename="activity")
router.register("attendance", AttendanceViewSet, basename="attendance")
router.register("contacts", ContactViewSet, basename="contact")


class MeSerializer(serializers.ModelSerializer[User]):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ("id", "email", "full_name", "preferred_language", "roles")

    def get_roles(self, user: User) -> dict[str, list[str]]:
        return {str(k): v for k, v in selectors.roles_by_programme(user).items()}


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    """The signed-in person and their roles per programme."""
    return Response(MeSerializer(cast(User, request.user)).data)
