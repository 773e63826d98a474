package org.twitchtriage.results.internal;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.History;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import java.util.List;
import java.util.Objects;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.twitchtriage.fhir.DateSearch;
import org.twitchtriage.fhir.Paging;
import org.twitchtriage.fhir.PatientSearch;
import org.twitchtriage.fhir.VersionedReads;
import org.twitchtriage.results.ResultsStore;

/** Read and search for the resources triage writes; they are never created or changed through the API. */
@Configuration(proxyBeanMethods = false)
public class ResultsProviders {

    @Bean
    ObservationProvider observationProvider(ResultsStore store, Paging paging) {
        return new ObservationProvider(store, paging);
    }

    @Bean
    ServiceRequestProvider serviceRequestProvider(ResultsStore store, Paging paging) {
        return new ServiceRequestProvider(store, paging);
    }

    @Bean
    CommunicationProvider communicationProvider(ResultsStore store, Paging paging) {
        return new CommunicationProvider(store, paging);
    }

    @Bean
    ProvenanceProvider provenanceProvider(ResultsStore store, Paging paging) {
        return new ProvenanceProvider(store, paging);
    }

    @Bean
    TaskProvider taskProvider(ResultsStore store, Paging paging) {
        return new TaskProvider(store, paging);
    }

    @Bean
    DeviceProvider deviceProvider(ResultsStore store, Paging paging) {
        return new DeviceProvider(store, paging);
    }

    /** Read by id, and the parameters every written resource shares. */
    abstract static class Base implements IResourceProvider {

        final ResultsStore store;
        final Paging paging;

        Base(ResultsStore store, Paging paging) {
            this.store = store;
            this.paging = paging;
        }

        String type() {
            return getResourceType().getSimpleName();
        }

        @Read(version = true)
        public IBaseResource read(@IdParam IdType id) {
            return VersionedReads.read(
                    id, idPart -> store.read(type(), idPart), (idPart, version) -> store.read(type(), idPart, version));
        }

        @History
        public List<Resource> history(@IdParam IdType id) {
            return VersionedReads.history(id, idPart -> store.history(type(), idPart));
        }

        IBundleProvider page(ResultsCriteria criteria, Integer offset, Integer count) {
            Paging.Page page = paging.request(offset, count);
            return page.of(store.count(criteria), p -> store.find(criteria, p.offset(), p.size()));
        }

        /** Subject or patient: the Patient id both name; contradictory or non-Patient references match nothing. */
        static ResultsCriteria patient(ResultsCriteria criteria, ReferenceParam subject, ReferenceParam patient) {
            PatientSearch patients = PatientSearch.of(subject, patient);
            return criteria.subject(patients.patientId()).nothing(patients.matchesNothing());
        }

        static String system(TokenParam token) {
            return token == null
                            || token.getSystem() == null
                            || token.getSystem().isEmpty()
                    ? null
                    : token.getSystem();
        }

        static String value(TokenParam token) {
            return token == null ? null : token.getValue();
        }

        static ResultsCriteria dates(ResultsCriteria criteria, DateRangeParam range) {
            DateSearch dates = DateSearch.of(range);
            return criteria.recorded(dates.from(), dates.to());
        }

        /**
         * Narrows to the resources of the submission that wrote the referenced resource; nothing matches when the
         * reference is untyped, names an unknown resource or is not {@code allowed}.
         */
        ResultsCriteria writtenWith(ResultsCriteria criteria, ReferenceParam reference, boolean allowed) {
            String submission = reference.getResourceType() == null
                    ? null
                    : store.submissionOf(reference.getResourceType(), reference.getIdPart())
                            .orElse(null);
            return criteria.submission(submission).nothing(submission == null || !allowed);
        }

        /** The submission a reference to a QuestionnaireResponse names; "" when it names another type. */
        static String submission(ReferenceParam reference) {
            if (reference == null) {
                return null;
            }
            String type = reference.getResourceType();
            return type != null && !"QuestionnaireResponse".equals(type) ? "" : reference.getIdPart();
        }
    }

    static final class ObservationProvider extends Base {

        ObservationProvider(ResultsStore store, Paging paging) {
            super(store, paging);
        }

        @Override
        public Class<Observation> getResourceType() {
            return Observation.class;
        }

        @Search
        public IBundleProvider search(
                @OptionalParam(name = Observation.SP_SUBJECT) ReferenceParam subject,
                @OptionalParam(name = Observation.SP_PATIENT) ReferenceParam patient,
                @OptionalParam(name = Observation.SP_DERIVED_FROM) ReferenceParam derivedFrom,
                @OptionalParam(name = Observation.SP_CODE) TokenParam code,
                @OptionalParam(name = Observation.SP_VALUE_CONCEPT) TokenParam valueConcept,
                @OptionalParam(name = Observation.SP_DATE) DateRangeParam date,
                @Offset Integer offset,
                @Count Integer count) {
            String submission = submission(derivedFrom);
            ResultsCriteria criteria = patient(ResultsCriteria.of(type()), subject, patient)
                    .code(system(code), value(code))
                    .value(system(valueConcept), value(valueConcept))
                    .submission(submission == null || submission.isEmpty() ? null : submission)
                    .nothing("".equals(submission));
            return page(dates(criteria, date), offset, count);
        }
    }

    static final class ServiceRequestProvider extends Base {

        ServiceRequestProvider(ResultsStore store, Paging paging) {
            super(store, paging);
        }

        @Override
        public Class<ServiceRequest> getResourceType() {
            return ServiceRequest.class;
        }

        @Search
        public IBundleProvider search(
                @OptionalParam(name = ServiceRequest.SP_SUBJECT) ReferenceParam subject,
                @OptionalParam(name = ServiceRequest.SP_PATIENT) ReferenceParam patient,
                @OptionalParam(name = ServiceRequest.SP_REQUISITION) TokenParam requisition,
                @OptionalParam(name = ServiceRequest.SP_CODE) TokenParam code,
                @OptionalParam(name = ServiceRequest.SP_PRIORITY) TokenParam priority,
                @OptionalParam(name = ServiceRequest.SP_STATUS) TokenParam status,
                @OptionalParam(name = ServiceRequest.SP_AUTHORED) DateRangeParam authored,
                @Offset Integer offset,
                @Count Integer count) {
            ResultsCriteria criteria = patient(ResultsCriteria.of(type()), subject, patient)
                    .code(system(code), value(code))
                    .priorityAndStatus(value(priority), value(status))
                    .requisition(value(requisition));
            return page(dates(criteria, authored), offset, count);
        }
    }

    static final class CommunicationProvider extends Base {

        CommunicationProvider(ResultsStore store, Paging paging) {
            super(store, paging);
        }

        @Override
        public Class<Communication> getResourceType() {
            return Communication.class;
        }

        @Search
        public IBundleProvider search(
                @OptionalParam(name = Communication.SP_SUBJECT) ReferenceParam subject,
                @OptionalParam(name = Communication.SP_PATIENT) ReferenceParam patient,
                @Offset Integer offset,
                @Count Integer count) {
            return page(patient(ResultsCriteria.of(type()), subject, patient), offset, count);
        }
    }

    static final class ProvenanceProvider extends Base {

        ProvenanceProvider(ResultsStore store, Paging paging) {
            super(store, paging);
        }

        @Override
        public Class<Provenance> getResourceType() {
            return Provenance.class;
        }

        /** By target: the Provenance of the submission that wrote the target. */
        @Search
        public IBundleProvider search(
                @OptionalParam(name = Provenance.SP_TARGET) ReferenceParam target,
                @Offset Integer offset,
                @Count Integer count) {
            ResultsCriteria criteria = ResultsCriteria.of(type());
            if (target != null) {
                criteria = writtenWith(criteria, target, !Objects.equals(target.getResourceType(), type()));
            }
            return page(criteria, offset, count);
        }
    }

    /** Clinicians' review Tasks. */
    static final class TaskProvider extends Base {

        TaskProvider(ResultsStore store, Paging paging) {
            super(store, paging);
        }

        @Override
        public Class<Task> getResourceType() {
            return Task.class;
        }

        /** By focus: review Tasks focus on a triage Observation; the Tasks of the submission that wrote it. */
        @Search
        public IBundleProvider search(
                @OptionalParam(name = Task.SP_FOCUS) ReferenceParam focus,
                @OptionalParam(name = Task.SP_SUBJECT) ReferenceParam subject,
                @OptionalParam(name = Task.SP_PATIENT) ReferenceParam patient,
                @OptionalParam(name = Task.SP_CODE) TokenParam code,
                @OptionalParam(name = Task.SP_STATUS) TokenParam status,
                @Offset Integer offset,
                @Count Integer count) {
            ResultsCriteria criteria = patient(ResultsCriteria.of(type()), subject, patient)
                    .code(system(code), value(code))
                    .priorityAndStatus(null, value(status));
            if (focus != null) {
                criteria = writtenWith(criteria, focus, "Observation".equals(focus.getResourceType()));
            }
            return page(criteria, offset, count);
        }
    }

    static final class DeviceProvider extends Base {

        DeviceProvider(ResultsStore store, Paging paging) {
            super(store, paging);
        }

        @Override
        public Class<Device> getResourceType() {
            return Device.class;
        }
    }
}
