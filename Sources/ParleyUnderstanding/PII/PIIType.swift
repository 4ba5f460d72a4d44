/// A category of personally identifiable information the detector can find.
public enum PIIType: String, CaseIterable, Sendable, Hashable, Codable {
    case email
    case phone
    case paymentCard
    case iban
    case ssn
    case ipAddress
    case streetAddress
    case personName
    case dateOfBirth

    /// The short upper-case tag used in redacted text, as `EMAIL` in `[EMAIL]`.
    public var tag: String {
        switch self {
        case .email: return "EMAIL"
        case .phone: return "PHONE"
        case .paymentCard: return "CARD"
        case .iban: return "IBAN"
        case .ssn: return "SSN"
        case .ipAddress: return "IP"
        case .streetAddress: return "ADDRESS"
        case .personName: return "PERSON"
        case .dateOfBirth: return "DOB"
        }
    }

    /// The entity name used by Presidio-style datasets, such as `CREDIT_CARD`, for scoring.
    public var presidioName: String {
        switch self {
        case .email: return "EMAIL_ADDRESS"
        case .phone: return "PHONE_NUMBER"
        case .paymentCard: return "CREDIT_CARD"
        case .iban: return "IBAN_CODE"
        case .ssn: return "US_SSN"
        case .ipAddress: return "IP_ADDRESS"
        case .streetAddress: return "STREET_ADDRESS"
        case .personName: return "PERSON"
        case .dateOfBirth: return "DATE_TIME"
        }
    }

    /// Conflict priority: when two detections overlap, the higher value wins.
    var priority: Int {
        switch self {
        case .email: return 90
        case .iban: return 85
        case .paymentCard: return 80
        case .ssn: return 75
        case .ipAddress: return 70
        case .phone: return 60
        case .streetAddress: return 55
        case .dateOfBirth: return 65
        case .personName: return 40
        }
    }
}

extension Set where Element == PIIType {
    /// Every PII type.
    public static var all: Set<PIIType> { Set(PIIType.allCases) }
}
