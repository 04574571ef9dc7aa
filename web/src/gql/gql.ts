/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation SignOut { signOut { revokedSessionCount } }": typeof types.SignOutDocument,
    "query StepUpState { me { id mfaEnabled emailVerified phoneVerified } }": typeof types.StepUpStateDocument,
    "\n  mutation StepUp($input: StepUpInput!) { stepUp(input: $input) { validUntil userErrors { code message field } } }\n": typeof types.StepUpDocument,
    "\n  mutation RequestStepUpCode($input: RequestStepUpCodeInput) {\n    requestStepUpCode(input: $input) { sentTo expiresAt channel userErrors { code message field } }\n  }\n": typeof types.RequestStepUpCodeDocument,
    "\n  mutation ContactRequestEmailCode { requestEmailVerification { sentTo expiresAt channel userErrors { code message field } } }\n": typeof types.ContactRequestEmailCodeDocument,
    "\n  mutation ContactRequestPhoneCode { requestPhoneVerification { sentTo expiresAt channel userErrors { code message field } } }\n": typeof types.ContactRequestPhoneCodeDocument,
    "\n  mutation ContactVerifyEmail($input: VerifyContactInput!) {\n    verifyEmail(input: $input) { user { id emailVerified } userErrors { code message field } }\n  }\n": typeof types.ContactVerifyEmailDocument,
    "\n  mutation ContactVerifyPhone($input: VerifyContactInput!) {\n    verifyPhone(input: $input) { user { id phoneVerified } userErrors { code message field } }\n  }\n": typeof types.ContactVerifyPhoneDocument,
    "\n  subscription LiveWalletUpdated($walletId: ID!, $afterSequence: BigInt) {\n    walletUpdated(walletId: $walletId, afterSequence: $afterSequence) {\n      sequence\n      transaction { id }\n      wallet {\n        id\n        sequence\n        status\n        balance { available { amount currency } posted { amount currency } held { amount currency } }\n      }\n    }\n  }\n": typeof types.LiveWalletUpdatedDocument,
    "\n  query MerchantPaymentsList($merchantId: ID!, $filter: MerchantPaymentFilter) {\n    merchantPayments(merchantId: $merchantId, first: 20, filter: $filter) {\n      edges {\n        node { id amount { amount currency } net { amount currency } refunded { amount currency } payerName status createdAt requestCode }\n      }\n    }\n  }\n": typeof types.MerchantPaymentsListDocument,
    "\n  subscription MerchantPaymentReceived($merchantId: ID!, $after: ID) {\n    merchantPaymentReceived(merchantId: $merchantId, catchUp: true, after: $after) { id }\n  }\n": typeof types.MerchantPaymentReceivedDocument,
    "\n  mutation RefundPayment($input: RefundPaymentInput!) {\n    refundPayment(input: $input) {\n      refund { id amount { amount currency } }\n      payment { id refunded { amount currency } status }\n      userErrors { code message field }\n    }\n  }\n": typeof types.RefundPaymentDocument,
    "\n  fragment NotificationItem on Notification {\n    id kind title body security createdAt read readAt\n    transaction { id }\n    wallet { id }\n    statement { id month }\n  }\n": typeof types.NotificationItemFragmentDoc,
    "\n  query NotificationBell { notifications(first: 1, unreadOnly: true) { unreadCount } }\n": typeof types.NotificationBellDocument,
    "\n  subscription NotificationAdded { notificationAdded { ...NotificationItem } }\n": typeof types.NotificationAddedDocument,
    "\n  mutation RequestPasswordReset($input: RequestPasswordResetInput!) {\n    requestPasswordReset(input: $input) { message userErrors { code message field } }\n  }\n": typeof types.RequestPasswordResetDocument,
    "query HistoryWallets { me { id wallets { id currency } } }": typeof types.HistoryWalletsDocument,
    "\n  query HistoryPage($walletId: ID!, $first: Int!, $after: String, $filter: TransactionFilter) {\n    transactions(walletId: $walletId, first: $first, after: $after, filter: $filter) {\n      edges {\n        cursor\n        node { id amount { amount currency } direction status type note createdAt counterparty { displayName } }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.HistoryPageDocument,
    "\n  query Home {\n    me {\n      id\n      displayName\n      wallets {\n        id\n        currency\n        status\n        sequence\n        balance { available { amount currency } posted { amount currency } held { amount currency } }\n      }\n    }\n  }\n": typeof types.HomeDocument,
    "\n  query RecentActivity($walletId: ID!) {\n    transactions(walletId: $walletId, first: 5) {\n      edges {\n        node { id amount { amount currency } direction status type note createdAt counterparty { displayName } }\n      }\n    }\n  }\n": typeof types.RecentActivityDocument,
    "query InsightWallets { me { id timeZone wallets { id currency } } }": typeof types.InsightWalletsDocument,
    "\n  query InsightsView($walletId: ID!, $month: String!) {\n    insights(walletId: $walletId, month: $month) {\n      insights {\n        month\n        complete\n        timeZone\n        moneyIn { amount currency }\n        moneyOut { amount currency }\n        net { amount currency }\n        previousMonth { month moneyIn { amount currency } moneyOut { amount currency } }\n        threeMonthAverage { moneyIn { amount currency } moneyOut { amount currency } }\n        categories { category transactions moneyIn { amount } moneyOut { amount } previousMonthOut { amount } threeMonthAverageOut { amount } }\n        topCounterparties { displayName category transactions moneyIn { amount } moneyOut { amount } }\n        largestTransactions {\n          id amount { amount currency } direction status type note createdAt counterparty { displayName }\n        }\n      }\n      userErrors { field code message }\n    }\n  }\n": typeof types.InsightsViewDocument,
    "\n  query KycData {\n    me { id phone phoneVerified }\n    myLimits { tier limits { kind limit { amount currency } used { amount currency } remaining { amount currency } resetsAt } }\n    kycStatus { tier latestCase { id level status reason createdAt } }\n  }\n": typeof types.KycDataDocument,
    "\n  subscription KycUpdated {\n    kycUpdated { id level status reason updatedAt }\n  }\n": typeof types.KycUpdatedDocument,
    "\n  mutation SubmitKyc($input: SubmitKycInput!) {\n    submitKyc(input: $input) { kycCase { id level status } userErrors { code message field } }\n  }\n": typeof types.SubmitKycDocument,
    "\n  query MyMerchants {\n    myMerchants {\n      id name myRole settlementCurrency\n      balances { available { amount currency } posted { amount currency } held { amount currency } }\n      staticPaymentRequest { code }\n    }\n  }\n": typeof types.MyMerchantsDocument,
    "\n  mutation CreatePaymentRequest($input: CreatePaymentRequestInput!) {\n    createPaymentRequest(input: $input) {\n      paymentRequest { code }\n      userErrors { code message field }\n    }\n  }\n": typeof types.CreatePaymentRequestDocument,
    "\n  query MerchantRequest($code: String!) {\n    paymentRequest(code: $code) {\n      code merchantName description amount { amount currency } currency status expiresAt singleUse paidCount url reference isStatic\n    }\n  }\n": typeof types.MerchantRequestDocument,
    "\n  subscription MerchantRequestLive($code: String!) {\n    paymentRequestUpdated(code: $code) { code status paidCount expiresAt }\n  }\n": typeof types.MerchantRequestLiveDocument,
    "\n  mutation CancelPaymentRequest($code: String!) {\n    cancelPaymentRequest(code: $code) { paymentRequest { code status } userErrors { code message } }\n  }\n": typeof types.CancelPaymentRequestDocument,
    "\n  query MoneyFunding {\n    me {\n      id\n      wallets {\n        id currency status sequence\n        balance { available { amount currency } posted { amount currency } held { amount currency } }\n      }\n    }\n    paymentMethods { id kind display status }\n  }\n": typeof types.MoneyFundingDocument,
    "\n  query MoneyFundingList {\n    fundingOperations(first: 10) {\n      edges { node { id kind status amount { amount currency } fee { amount currency } failureMessage createdAt paymentMethod { display } } }\n    }\n  }\n": typeof types.MoneyFundingListDocument,
    "\n  subscription MoneyFundingUpdated {\n    fundingUpdated { id status failureMessage updatedAt }\n  }\n": typeof types.MoneyFundingUpdatedDocument,
    "\n  mutation AddFunds($input: AddFundsInput!) {\n    addFunds(input: $input) { funding { id status } userErrors { code message field } }\n  }\n": typeof types.AddFundsDocument,
    "\n  mutation Withdraw($input: WithdrawInput!) {\n    withdraw(input: $input) { funding { id status } userErrors { code message field } }\n  }\n": typeof types.WithdrawDocument,
    "\n  query NotificationPreferencesView {\n    me { id timeZone }\n    notificationPreferences { kinds { kind label security channels { channel enabled locked } } quietHours { start end timeZone } }\n  }\n": typeof types.NotificationPreferencesViewDocument,
    "\n  mutation UpdateNotificationPreferences($input: UpdateNotificationPreferencesInput!) {\n    updateNotificationPreferences(input: $input) {\n      preferences { kinds { kind label security channels { channel enabled locked } } quietHours { start end timeZone } }\n      userErrors { code message field }\n    }\n  }\n": typeof types.UpdateNotificationPreferencesDocument,
    "\n  query NotificationsPage($first: Int!, $after: String) {\n    notifications(first: $first, after: $after) {\n      edges { cursor node { ...NotificationItem } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.NotificationsPageDocument,
    "\n  mutation MarkNotificationsRead($input: MarkNotificationsReadInput) {\n    markNotificationsRead(input: $input) { unreadCount userErrors { code message field } }\n  }\n": typeof types.MarkNotificationsReadDocument,
    "\n  query PayRequest($code: String!) {\n    paymentRequest(code: $code) { code merchantName description amount { amount currency } currency status expiresAt }\n    me { id wallets { id currency balance { available { amount currency } } } }\n  }\n": typeof types.PayRequestDocument,
    "\n  subscription PayRequestUpdated($code: String!) {\n    paymentRequestUpdated(code: $code) { code status paidCount expiresAt }\n  }\n": typeof types.PayRequestUpdatedDocument,
    "\n  mutation PayPaymentRequest($input: PayPaymentRequestInput!) {\n    payPaymentRequest(input: $input) {\n      payment { id amount { amount currency } merchantName createdAt requestCode }\n      transaction { id }\n      userErrors { code message field }\n    }\n  }\n": typeof types.PayPaymentRequestDocument,
    "\n  query PaymentMethods {\n    paymentMethods { id kind display holderName status isDefault bankAccount { verificationAttemptsLeft } }\n  }\n": typeof types.PaymentMethodsDocument,
    "\n  mutation AddCard($input: AddCardInput!) {\n    addCard(input: $input) { paymentMethod { id display status } userErrors { code message field } }\n  }\n": typeof types.AddCardDocument,
    "\n  mutation AddBankAccount($input: AddBankAccountInput!) {\n    addBankAccount(input: $input) { paymentMethod { id display status } userErrors { code message field } }\n  }\n": typeof types.AddBankAccountDocument,
    "\n  mutation VerifyBankAccount($input: VerifyBankAccountInput!) {\n    verifyBankAccount(input: $input) {\n      paymentMethod { id status bankAccount { verificationAttemptsLeft } }\n      userErrors { code message field }\n    }\n  }\n": typeof types.VerifyBankAccountDocument,
    "\n  query Profile { me { id email displayName phone mfaEnabled emailVerified phoneVerified } }\n": typeof types.ProfileDocument,
    "\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) { user { id displayName phone phoneVerified } userErrors { code message field } }\n  }\n": typeof types.UpdateProfileDocument,
    "\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input) { revokedSessionCount userErrors { code message field } }\n  }\n": typeof types.ResetPasswordDocument,
    "\n  query SecurityStatus { me { id mfaEnabled } }\n": typeof types.SecurityStatusDocument,
    "\n  mutation EnrolMfa { enrolMfa { enrolment { qrCode secret } userErrors { code message field } } }\n": typeof types.EnrolMfaDocument,
    "\n  mutation ConfirmMfa($input: ConfirmMfaInput!) { confirmMfa(input: $input) { recoveryCodes userErrors { code message field } } }\n": typeof types.ConfirmMfaDocument,
    "\n  mutation DisableMfa($input: DisableMfaInput!) { disableMfa(input: $input) { user { id mfaEnabled } userErrors { code message field } } }\n": typeof types.DisableMfaDocument,
    "\n  query SendWallets {\n    me { id wallets { id currency status balance { available { amount currency } } } }\n  }\n": typeof types.SendWalletsDocument,
    "\n  query PreviewTransfer($input: PreviewTransferInput!) {\n    previewTransfer(input: $input) {\n      preview {\n        amount { amount currency }\n        fee { amount currency }\n        total { amount currency }\n        riskDecision\n        limitsAfter { kind exceeded remaining { amount currency } limit { amount currency } }\n      }\n      userErrors { code message field }\n    }\n  }\n": typeof types.PreviewTransferDocument,
    "\n  mutation SendMoney($input: SendMoneyInput!) {\n    sendMoney(input: $input) {\n      transfer { id status amount { amount currency } counterparty { displayName } }\n      senderWallet { id sequence balance { available { amount currency } posted { amount currency } held { amount currency } } }\n      userErrors { code message field }\n    }\n  }\n": typeof types.SendMoneyDocument,
    "\n  query Sessions {\n    me { id sessions(first: 50) { edges { node { id createdAt lastUsedAt userAgent ip current } } } }\n  }\n": typeof types.SessionsDocument,
    "\n  mutation RevokeSession($input: RevokeSessionInput!) {\n    revokeSession(input: $input) { session { id revokedAt } userErrors { code message } }\n  }\n": typeof types.RevokeSessionDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      mfaChallenge { challenge }\n      userErrors { code message field }\n    }\n  }\n": typeof types.SignInDocument,
    "\n  mutation VerifyMfa($input: VerifyMfaInput!) {\n    verifyMfa(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message field }\n    }\n  }\n": typeof types.VerifyMfaDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message field }\n    }\n  }\n": typeof types.SignUpDocument,
    "query StatementWallets { me { id timeZone wallets { id currency } } }": typeof types.StatementWalletsDocument,
    "\n  query StatementView($walletId: ID!, $period: StatementPeriodInput!) {\n    statement(walletId: $walletId, period: $period) {\n      statement {\n        period { month from to timeZone }\n        openingBalance { amount currency }\n        closingBalance { amount currency }\n        totalIn { amount currency }\n        totalOut { amount currency }\n        totalFees { amount currency }\n        lineCount\n      }\n      userErrors { field code message }\n    }\n  }\n": typeof types.StatementViewDocument,
    "\n  query StatementLines($walletId: ID!, $period: StatementPeriodInput!, $after: String) {\n    statement(walletId: $walletId, period: $period) {\n      statement {\n        lines(first: 30, after: $after) {\n          edges { node { date counterparty note amount { amount } balanceAfter { amount } } }\n          pageInfo { hasNextPage endCursor }\n        }\n      }\n    }\n  }\n": typeof types.StatementLinesDocument,
    "\n  query StatementDownload($walletId: ID!, $period: StatementPeriodInput!, $format: StatementFormat!) {\n    statement(walletId: $walletId, period: $period) {\n      statement { downloadUrl(format: $format) { url expiresAt } }\n      userErrors { code message }\n    }\n  }\n": typeof types.StatementDownloadDocument,
    "\n  query MonthlyStatements($walletId: ID!) {\n    statements(walletId: $walletId, first: 24) {\n      edges { node { id month statement { closingBalance { amount currency } lineCount } } }\n    }\n  }\n": typeof types.MonthlyStatementsDocument,
    "\n  query TransactionDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Transaction {\n        id amount { amount currency } direction status type note createdAt sequence\n        balanceAfter { amount currency }\n        counterparty { displayName email phone isMerchant }\n        wallet { id currency }\n      }\n    }\n  }\n": typeof types.TransactionDetailDocument,
    "\n  subscription TransactionDetailUpdated {\n    transactionUpdated { id status balanceAfter { amount currency } sequence }\n  }\n": typeof types.TransactionDetailUpdatedDocument,
    "\n  mutation RefreshSession($input: RefreshSessionInput!) {\n    refreshSession(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message }\n    }\n  }\n": typeof types.RefreshSessionDocument,
    "\n  mutation ExportMyData { exportMyData { downloadUrl expiresAt userErrors { code message } } }\n": typeof types.ExportMyDataDocument,
    "\n  mutation DeleteMyAccount($input: DeleteMyAccountInput!) {\n    deleteMyAccount(input: $input) { erasedAt userErrors { code message field } }\n  }\n": typeof types.DeleteMyAccountDocument,
};
const documents: Documents = {
    "mutation SignOut { signOut { revokedSessionCount } }": types.SignOutDocument,
    "query StepUpState { me { id mfaEnabled emailVerified phoneVerified } }": types.StepUpStateDocument,
    "\n  mutation StepUp($input: StepUpInput!) { stepUp(input: $input) { validUntil userErrors { code message field } } }\n": types.StepUpDocument,
    "\n  mutation RequestStepUpCode($input: RequestStepUpCodeInput) {\n    requestStepUpCode(input: $input) { sentTo expiresAt channel userErrors { code message field } }\n  }\n": types.RequestStepUpCodeDocument,
    "\n  mutation ContactRequestEmailCode { requestEmailVerification { sentTo expiresAt channel userErrors { code message field } } }\n": types.ContactRequestEmailCodeDocument,
    "\n  mutation ContactRequestPhoneCode { requestPhoneVerification { sentTo expiresAt channel userErrors { code message field } } }\n": types.ContactRequestPhoneCodeDocument,
    "\n  mutation ContactVerifyEmail($input: VerifyContactInput!) {\n    verifyEmail(input: $input) { user { id emailVerified } userErrors { code message field } }\n  }\n": types.ContactVerifyEmailDocument,
    "\n  mutation ContactVerifyPhone($input: VerifyContactInput!) {\n    verifyPhone(input: $input) { user { id phoneVerified } userErrors { code message field } }\n  }\n": types.ContactVerifyPhoneDocument,
    "\n  subscription LiveWalletUpdated($walletId: ID!, $afterSequence: BigInt) {\n    walletUpdated(walletId: $walletId, afterSequence: $afterSequence) {\n      sequence\n      transaction { id }\n      wallet {\n        id\n        sequence\n        status\n        balance { available { amount currency } posted { amount currency } held { amount currency } }\n      }\n    }\n  }\n": types.LiveWalletUpdatedDocument,
    "\n  query MerchantPaymentsList($merchantId: ID!, $filter: MerchantPaymentFilter) {\n    merchantPayments(merchantId: $merchantId, first: 20, filter: $filter) {\n      edges {\n        node { id amount { amount currency } net { amount currency } refunded { amount currency } payerName status createdAt requestCode }\n      }\n    }\n  }\n": types.MerchantPaymentsListDocument,
    "\n  subscription MerchantPaymentReceived($merchantId: ID!, $after: ID) {\n    merchantPaymentReceived(merchantId: $merchantId, catchUp: true, after: $after) { id }\n  }\n": types.MerchantPaymentReceivedDocument,
    "\n  mutation RefundPayment($input: RefundPaymentInput!) {\n    refundPayment(input: $input) {\n      refund { id amount { amount currency } }\n      payment { id refunded { amount currency } status }\n      userErrors { code message field }\n    }\n  }\n": types.RefundPaymentDocument,
    "\n  fragment NotificationItem on Notification {\n    id kind title body security createdAt read readAt\n    transaction { id }\n    wallet { id }\n    statement { id month }\n  }\n": types.NotificationItemFragmentDoc,
    "\n  query NotificationBell { notifications(first: 1, unreadOnly: true) { unreadCount } }\n": types.NotificationBellDocument,
    "\n  subscription NotificationAdded { notificationAdded { ...NotificationItem } }\n": types.NotificationAddedDocument,
    "\n  mutation RequestPasswordReset($input: RequestPasswordResetInput!) {\n    requestPasswordReset(input: $input) { message userErrors { code message field } }\n  }\n": types.RequestPasswordResetDocument,
    "query HistoryWallets { me { id wallets { id currency } } }": types.HistoryWalletsDocument,
    "\n  query HistoryPage($walletId: ID!, $first: Int!, $after: String, $filter: TransactionFilter) {\n    transactions(walletId: $walletId, first: $first, after: $after, filter: $filter) {\n      edges {\n        cursor\n        node { id amount { amount currency } direction status type note createdAt counterparty { displayName } }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.HistoryPageDocument,
    "\n  query Home {\n    me {\n      id\n      displayName\n      wallets {\n        id\n        currency\n        status\n        sequence\n        balance { available { amount currency } posted { amount currency } held { amount currency } }\n      }\n    }\n  }\n": types.HomeDocument,
    "\n  query RecentActivity($walletId: ID!) {\n    transactions(walletId: $walletId, first: 5) {\n      edges {\n        node { id amount { amount currency } direction status type note createdAt counterparty { displayName } }\n      }\n    }\n  }\n": types.RecentActivityDocument,
    "query InsightWallets { me { id timeZone wallets { id currency } } }": types.InsightWalletsDocument,
    "\n  query InsightsView($walletId: ID!, $month: String!) {\n    insights(walletId: $walletId, month: $month) {\n      insights {\n        month\n        complete\n        timeZone\n        moneyIn { amount currency }\n        moneyOut { amount currency }\n        net { amount currency }\n        previousMonth { month moneyIn { amount currency } moneyOut { amount currency } }\n        threeMonthAverage { moneyIn { amount currency } moneyOut { amount currency } }\n        categories { category transactions moneyIn { amount } moneyOut { amount } previousMonthOut { amount } threeMonthAverageOut { amount } }\n        topCounterparties { displayName category transactions moneyIn { amount } moneyOut { amount } }\n        largestTransactions {\n          id amount { amount currency } direction status type note createdAt counterparty { displayName }\n        }\n      }\n      userErrors { field code message }\n    }\n  }\n": types.InsightsViewDocument,
    "\n  query KycData {\n    me { id phone phoneVerified }\n    myLimits { tier limits { kind limit { amount currency } used { amount currency } remaining { amount currency } resetsAt } }\n    kycStatus { tier latestCase { id level status reason createdAt } }\n  }\n": types.KycDataDocument,
    "\n  subscription KycUpdated {\n    kycUpdated { id level status reason updatedAt }\n  }\n": types.KycUpdatedDocument,
    "\n  mutation SubmitKyc($input: SubmitKycInput!) {\n    submitKyc(input: $input) { kycCase { id level status } userErrors { code message field } }\n  }\n": types.SubmitKycDocument,
    "\n  query MyMerchants {\n    myMerchants {\n      id name myRole settlementCurrency\n      balances { available { amount currency } posted { amount currency } held { amount currency } }\n      staticPaymentRequest { code }\n    }\n  }\n": types.MyMerchantsDocument,
    "\n  mutation CreatePaymentRequest($input: CreatePaymentRequestInput!) {\n    createPaymentRequest(input: $input) {\n      paymentRequest { code }\n      userErrors { code message field }\n    }\n  }\n": types.CreatePaymentRequestDocument,
    "\n  query MerchantRequest($code: String!) {\n    paymentRequest(code: $code) {\n      code merchantName description amount { amount currency } currency status expiresAt singleUse paidCount url reference isStatic\n    }\n  }\n": types.MerchantRequestDocument,
    "\n  subscription MerchantRequestLive($code: String!) {\n    paymentRequestUpdated(code: $code) { code status paidCount expiresAt }\n  }\n": types.MerchantRequestLiveDocument,
    "\n  mutation CancelPaymentRequest($code: String!) {\n    cancelPaymentRequest(code: $code) { paymentRequest { code status } userErrors { code message } }\n  }\n": types.CancelPaymentRequestDocument,
    "\n  query MoneyFunding {\n    me {\n      id\n      wallets {\n        id currency status sequence\n        balance { available { amount currency } posted { amount currency } held { amount currency } }\n      }\n    }\n    paymentMethods { id kind display status }\n  }\n": types.MoneyFundingDocument,
    "\n  query MoneyFundingList {\n    fundingOperations(first: 10) {\n      edges { node { id kind status amount { amount currency } fee { amount currency } failureMessage createdAt paymentMethod { display } } }\n    }\n  }\n": types.MoneyFundingListDocument,
    "\n  subscription MoneyFundingUpdated {\n    fundingUpdated { id status failureMessage updatedAt }\n  }\n": types.MoneyFundingUpdatedDocument,
    "\n  mutation AddFunds($input: AddFundsInput!) {\n    addFunds(input: $input) { funding { id status } userErrors { code message field } }\n  }\n": types.AddFundsDocument,
    "\n  mutation Withdraw($input: WithdrawInput!) {\n    withdraw(input: $input) { funding { id status } userErrors { code message field } }\n  }\n": types.WithdrawDocument,
    "\n  query NotificationPreferencesView {\n    me { id timeZone }\n    notificationPreferences { kinds { kind label security channels { channel enabled locked } } quietHours { start end timeZone } }\n  }\n": types.NotificationPreferencesViewDocument,
    "\n  mutation UpdateNotificationPreferences($input: UpdateNotificationPreferencesInput!) {\n    updateNotificationPreferences(input: $input) {\n      preferences { kinds { kind label security channels { channel enabled locked } } quietHours { start end timeZone } }\n      userErrors { code message field }\n    }\n  }\n": types.UpdateNotificationPreferencesDocument,
    "\n  query NotificationsPage($first: Int!, $after: String) {\n    notifications(first: $first, after: $after) {\n      edges { cursor node { ...NotificationItem } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.NotificationsPageDocument,
    "\n  mutation MarkNotificationsRead($input: MarkNotificationsReadInput) {\n    markNotificationsRead(input: $input) { unreadCount userErrors { code message field } }\n  }\n": types.MarkNotificationsReadDocument,
    "\n  query PayRequest($code: String!) {\n    paymentRequest(code: $code) { code merchantName description amount { amount currency } currency status expiresAt }\n    me { id wallets { id currency balance { available { amount currency } } } }\n  }\n": types.PayRequestDocument,
    "\n  subscription PayRequestUpdated($code: String!) {\n    paymentRequestUpdated(code: $code) { code status paidCount expiresAt }\n  }\n": types.PayRequestUpdatedDocument,
    "\n  mutation PayPaymentRequest($input: PayPaymentRequestInput!) {\n    payPaymentRequest(input: $input) {\n      payment { id amount { amount currency } merchantName createdAt requestCode }\n      transaction { id }\n      userErrors { code message field }\n    }\n  }\n": types.PayPaymentRequestDocument,
    "\n  query PaymentMethods {\n    paymentMethods { id kind display holderName status isDefault bankAccount { verificationAttemptsLeft } }\n  }\n": types.PaymentMethodsDocument,
    "\n  mutation AddCard($input: AddCardInput!) {\n    addCard(input: $input) { paymentMethod { id display status } userErrors { code message field } }\n  }\n": types.AddCardDocument,
    "\n  mutation AddBankAccount($input: AddBankAccountInput!) {\n    addBankAccount(input: $input) { paymentMethod { id display status } userErrors { code message field } }\n  }\n": types.AddBankAccountDocument,
    "\n  mutation VerifyBankAccount($input: VerifyBankAccountInput!) {\n    verifyBankAccount(input: $input) {\n      paymentMethod { id status bankAccount { verificationAttemptsLeft } }\n      userErrors { code message field }\n    }\n  }\n": types.VerifyBankAccountDocument,
    "\n  query Profile { me { id email displayName phone mfaEnabled emailVerified phoneVerified } }\n": types.ProfileDocument,
    "\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) { user { id displayName phone phoneVerified } userErrors { code message field } }\n  }\n": types.UpdateProfileDocument,
    "\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input) { revokedSessionCount userErrors { code message field } }\n  }\n": types.ResetPasswordDocument,
    "\n  query SecurityStatus { me { id mfaEnabled } }\n": types.SecurityStatusDocument,
    "\n  mutation EnrolMfa { enrolMfa { enrolment { qrCode secret } userErrors { code message field } } }\n": types.EnrolMfaDocument,
    "\n  mutation ConfirmMfa($input: ConfirmMfaInput!) { confirmMfa(input: $input) { recoveryCodes userErrors { code message field } } }\n": types.ConfirmMfaDocument,
    "\n  mutation DisableMfa($input: DisableMfaInput!) { disableMfa(input: $input) { user { id mfaEnabled } userErrors { code message field } } }\n": types.DisableMfaDocument,
    "\n  query SendWallets {\n    me { id wallets { id currency status balance { available { amount currency } } } }\n  }\n": types.SendWalletsDocument,
    "\n  query PreviewTransfer($input: PreviewTransferInput!) {\n    previewTransfer(input: $input) {\n      preview {\n        amount { amount currency }\n        fee { amount currency }\n        total { amount currency }\n        riskDecision\n        limitsAfter { kind exceeded remaining { amount currency } limit { amount currency } }\n      }\n      userErrors { code message field }\n    }\n  }\n": types.PreviewTransferDocument,
    "\n  mutation SendMoney($input: SendMoneyInput!) {\n    sendMoney(input: $input) {\n      transfer { id status amount { amount currency } counterparty { displayName } }\n      senderWallet { id sequence balance { available { amount currency } posted { amount currency } held { amount currency } } }\n      userErrors { code message field }\n    }\n  }\n": types.SendMoneyDocument,
    "\n  query Sessions {\n    me { id sessions(first: 50) { edges { node { id createdAt lastUsedAt userAgent ip current } } } }\n  }\n": types.SessionsDocument,
    "\n  mutation RevokeSession($input: RevokeSessionInput!) {\n    revokeSession(input: $input) { session { id revokedAt } userErrors { code message } }\n  }\n": types.RevokeSessionDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      mfaChallenge { challenge }\n      userErrors { code message field }\n    }\n  }\n": types.SignInDocument,
    "\n  mutation VerifyMfa($input: VerifyMfaInput!) {\n    verifyMfa(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message field }\n    }\n  }\n": types.VerifyMfaDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message field }\n    }\n  }\n": types.SignUpDocument,
    "query StatementWallets { me { id timeZone wallets { id currency } } }": types.StatementWalletsDocument,
    "\n  query StatementView($walletId: ID!, $period: StatementPeriodInput!) {\n    statement(walletId: $walletId, period: $period) {\n      statement {\n        period { month from to timeZone }\n        openingBalance { amount currency }\n        closingBalance { amount currency }\n        totalIn { amount currency }\n        totalOut { amount currency }\n        totalFees { amount currency }\n        lineCount\n      }\n      userErrors { field code message }\n    }\n  }\n": types.StatementViewDocument,
    "\n  query StatementLines($walletId: ID!, $period: StatementPeriodInput!, $after: String) {\n    statement(walletId: $walletId, period: $period) {\n      statement {\n        lines(first: 30, after: $after) {\n          edges { node { date counterparty note amount { amount } balanceAfter { amount } } }\n          pageInfo { hasNextPage endCursor }\n        }\n      }\n    }\n  }\n": types.StatementLinesDocument,
    "\n  query StatementDownload($walletId: ID!, $period: StatementPeriodInput!, $format: StatementFormat!) {\n    statement(walletId: $walletId, period: $period) {\n      statement { downloadUrl(format: $format) { url expiresAt } }\n      userErrors { code message }\n    }\n  }\n": types.StatementDownloadDocument,
    "\n  query MonthlyStatements($walletId: ID!) {\n    statements(walletId: $walletId, first: 24) {\n      edges { node { id month statement { closingBalance { amount currency } lineCount } } }\n    }\n  }\n": types.MonthlyStatementsDocument,
    "\n  query TransactionDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Transaction {\n        id amount { amount currency } direction status type note createdAt sequence\n        balanceAfter { amount currency }\n        counterparty { displayName email phone isMerchant }\n        wallet { id currency }\n      }\n    }\n  }\n": types.TransactionDetailDocument,
    "\n  subscription TransactionDetailUpdated {\n    transactionUpdated { id status balanceAfter { amount currency } sequence }\n  }\n": types.TransactionDetailUpdatedDocument,
    "\n  mutation RefreshSession($input: RefreshSessionInput!) {\n    refreshSession(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message }\n    }\n  }\n": types.RefreshSessionDocument,
    "\n  mutation ExportMyData { exportMyData { downloadUrl expiresAt userErrors { code message } } }\n": types.ExportMyDataDocument,
    "\n  mutation DeleteMyAccount($input: DeleteMyAccountInput!) {\n    deleteMyAccount(input: $input) { erasedAt userErrors { code message field } }\n  }\n": types.DeleteMyAccountDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignOut { signOut { revokedSessionCount } }"): (typeof documents)["mutation SignOut { signOut { revokedSessionCount } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query StepUpState { me { id mfaEnabled emailVerified phoneVerified } }"): (typeof documents)["query StepUpState { me { id mfaEnabled emailVerified phoneVerified } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StepUp($input: StepUpInput!) { stepUp(input: $input) { validUntil userErrors { code message field } } }\n"): (typeof documents)["\n  mutation StepUp($input: StepUpInput!) { stepUp(input: $input) { validUntil userErrors { code message field } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestStepUpCode($input: RequestStepUpCodeInput) {\n    requestStepUpCode(input: $input) { sentTo expiresAt channel userErrors { code message field } }\n  }\n"): (typeof documents)["\n  mutation RequestStepUpCode($input: RequestStepUpCodeInput) {\n    requestStepUpCode(input: $input) { sentTo expiresAt channel userErrors { code message field } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ContactRequestEmailCode { requestEmailVerification { sentTo expiresAt channel userErrors { code message field } } }\n"): (typeof documents)["\n  mutation ContactRequestEmailCode { requestEmailVerification { sentTo expiresAt channel userErrors { code message field } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ContactRequestPhoneCode { requestPhoneVerification { sentTo expiresAt channel userErrors { code message field } } }\n"): (typeof documents)["\n  mutation ContactRequestPhoneCode { requestPhoneVerification { sentTo expiresAt channel userErrors { code message field } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ContactVerifyEmail($input: VerifyContactInput!) {\n    verifyEmail(input: $input) { user { id emailVerified } userErrors { code message field } }\n  }\n"): (typeof documents)["\n  mutation ContactVerifyEmail($input: VerifyContactInput!) {\n    verifyEmail(input: $input) { user { id emailVerified } userErrors { code message field } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ContactVerifyPhone($input: VerifyContactInput!) {\n    verifyPhone(input: $input) { user { id phoneVerified } userErrors { code message field } }\n  }\n"): (typeof documents)["\n  mutation ContactVerifyPhone($input: VerifyContactInput!) {\n    verifyPhone(input: $input) { user { id phoneVerified } userErrors { code message field } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveWalletUpdated($walletId: ID!, $afterSequence: BigInt) {\n    walletUpdated(walletId: $walletId, afterSequence: $afterSequence) {\n      sequence\n      transaction { id }\n      wallet {\n        id\n        sequence\n        status\n        balance { available { amount currency } posted { amount currency } held { amount currency } }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription LiveWalletUpdated($walletId: ID!, $afterSequence: BigInt) {\n    walletUpdated(walletId: $walletId, afterSequence: $afterSequence) {\n      sequence\n      transaction { id }\n      wallet {\n        id\n        sequence\n        status\n        balance { available { amount currency } posted { amount currency } held { amount currency } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MerchantPaymentsList($merchantId: ID!, $filter: MerchantPaymentFilter) {\n    merchantPayments(merchantId: $merchantId, first: 20, filter: $filter) {\n      edges {\n        node { id amount { amount currency } net { amount currency } refunded { amount currency } payerName status createdAt requestCode }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MerchantPaymentsList($merchantId: ID!, $filter: MerchantPaymentFilter) {\n    merchantPayments(merchantId: $merchantId, first: 20, filter: $filter) {\n      edges {\n        node { id amount { amount currency } net { amount currency } refunded { amount currency } payerName status createdAt requestCode }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MerchantPaymentReceived($merchantId: ID!, $after: ID) {\n    merchantPaymentReceived(merchantId: $merchantId, catchUp: true, after: $after) { id }\n  }\n"): (typeof documents)["\n  subscription MerchantPaymentReceived($merchantId: ID!, $after: ID) {\n    merchantPaymentReceived(merchantId: $merchantId, catchUp: true, after: $after) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefundPayment($input: RefundPaymentInput!) {\n    refundPayment(input: $input) {\n      refund { id amount { amount currency } }\n      payment { id refunded { amount currency } status }\n      userErrors { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation RefundPayment($input: RefundPaymentInput!) {\n    refundPayment(input: $input) {\n      refund { id amount { amount currency } }\n      payment { id refunded { amount currency } status }\n      userErrors { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment NotificationItem on Notification {\n    id kind title body security createdAt read readAt\n    transaction { id }\n    wallet { id }\n    statement { id month }\n  }\n"): (typeof documents)["\n  fragment NotificationItem on Notification {\n    id kind title body security createdAt read readAt\n    transaction { id }\n    wallet { id }\n    statement { id month }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NotificationBell { notifications(first: 1, unreadOnly: true) { unreadCount } }\n"): (typeof documents)["\n  query NotificationBell { notifications(first: 1, unreadOnly: true) { unreadCount } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription NotificationAdded { notificationAdded { ...NotificationItem } }\n"): (typeof documents)["\n  subscription NotificationAdded { notificationAdded { ...NotificationItem } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestPasswordReset($input: RequestPasswordResetInput!) {\n    requestPasswordReset(input: $input) { message userErrors { code message field } }\n  }\n"): (typeof documents)["\n  mutation RequestPasswordReset($input: RequestPasswordResetInput!) {\n    requestPasswordReset(input: $input) { message userErrors { code message field } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query HistoryWallets { me { id wallets { id currency } } }"): (typeof documents)["query HistoryWallets { me { id wallets { id currency } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HistoryPage($walletId: ID!, $first: Int!, $after: String, $filter: TransactionFilter) {\n    transactions(walletId: $walletId, first: $first, after: $after, filter: $filter) {\n      edges {\n        cursor\n        node { id amount { amount currency } direction status type note createdAt counterparty { displayName } }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query HistoryPage($walletId: ID!, $first: Int!, $after: String, $filter: TransactionFilter) {\n    transactions(walletId: $walletId, first: $first, after: $after, filter: $filter) {\n      edges {\n        cursor\n        node { id amount { amount currency } direction status type note createdAt counterparty { displayName } }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Home {\n    me {\n      id\n      displayName\n      wallets {\n        id\n        currency\n        status\n        sequence\n        balance { available { amount currency } posted { amount currency } held { amount currency } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Home {\n    me {\n      id\n      displayName\n      wallets {\n        id\n        currency\n        status\n        sequence\n        balance { available { amount currency } posted { amount currency } held { amount currency } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentActivity($walletId: ID!) {\n    transactions(walletId: $walletId, first: 5) {\n      edges {\n        node { id amount { amount currency } direction status type note createdAt counterparty { displayName } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RecentActivity($walletId: ID!) {\n    transactions(walletId: $walletId, first: 5) {\n      edges {\n        node { id amount { amount currency } direction status type note createdAt counterparty { displayName } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query InsightWallets { me { id timeZone wallets { id currency } } }"): (typeof documents)["query InsightWallets { me { id timeZone wallets { id currency } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InsightsView($walletId: ID!, $month: String!) {\n    insights(walletId: $walletId, month: $month) {\n      insights {\n        month\n        complete\n        timeZone\n        moneyIn { amount currency }\n        moneyOut { amount currency }\n        net { amount currency }\n        previousMonth { month moneyIn { amount currency } moneyOut { amount currency } }\n        threeMonthAverage { moneyIn { amount currency } moneyOut { amount currency } }\n        categories { category transactions moneyIn { amount } moneyOut { amount } previousMonthOut { amount } threeMonthAverageOut { amount } }\n        topCounterparties { displayName category transactions moneyIn { amount } moneyOut { amount } }\n        largestTransactions {\n          id amount { amount currency } direction status type note createdAt counterparty { displayName }\n        }\n      }\n      userErrors { field code message }\n    }\n  }\n"): (typeof documents)["\n  query InsightsView($walletId: ID!, $month: String!) {\n    insights(walletId: $walletId, month: $month) {\n      insights {\n        month\n        complete\n        timeZone\n        moneyIn { amount currency }\n        moneyOut { amount currency }\n        net { amount currency }\n        previousMonth { month moneyIn { amount currency } moneyOut { amount currency } }\n        threeMonthAverage { moneyIn { amount currency } moneyOut { amount currency } }\n        categories { category transactions moneyIn { amount } moneyOut { amount } previousMonthOut { amount } threeMonthAverageOut { amount } }\n        topCounterparties { displayName category transactions moneyIn { amount } moneyOut { amount } }\n        largestTransactions {\n          id amount { amount currency } direction status type note createdAt counterparty { displayName }\n        }\n      }\n      userErrors { field code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query KycData {\n    me { id phone phoneVerified }\n    myLimits { tier limits { kind limit { amount currency } used { amount currency } remaining { amount currency } resetsAt } }\n    kycStatus { tier latestCase { id level status reason createdAt } }\n  }\n"): (typeof documents)["\n  query KycData {\n    me { id phone phoneVerified }\n    myLimits { tier limits { kind limit { amount currency } used { amount currency } remaining { amount currency } resetsAt } }\n    kycStatus { tier latestCase { id level status reason createdAt } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription KycUpdated {\n    kycUpdated { id level status reason updatedAt }\n  }\n"): (typeof documents)["\n  subscription KycUpdated {\n    kycUpdated { id level status reason updatedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SubmitKyc($input: SubmitKycInput!) {\n    submitKyc(input: $input) { kycCase { id level status } userErrors { code message field } }\n  }\n"): (typeof documents)["\n  mutation SubmitKyc($input: SubmitKycInput!) {\n    submitKyc(input: $input) { kycCase { id level status } userErrors { code message field } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyMerchants {\n    myMerchants {\n      id name myRole settlementCurrency\n      balances { available { amount currency } posted { amount currency } held { amount currency } }\n      staticPaymentRequest { code }\n    }\n  }\n"): (typeof documents)["\n  query MyMerchants {\n    myMerchants {\n      id name myRole settlementCurrency\n      balances { available { amount currency } posted { amount currency } held { amount currency } }\n      staticPaymentRequest { code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreatePaymentRequest($input: CreatePaymentRequestInput!) {\n    createPaymentRequest(input: $input) {\n      paymentRequest { code }\n      userErrors { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation CreatePaymentRequest($input: CreatePaymentRequestInput!) {\n    createPaymentRequest(input: $input) {\n      paymentRequest { code }\n      userErrors { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MerchantRequest($code: String!) {\n    paymentRequest(code: $code) {\n      code merchantName description amount { amount currency } currency status expiresAt singleUse paidCount url reference isStatic\n    }\n  }\n"): (typeof documents)["\n  query MerchantRequest($code: String!) {\n    paymentRequest(code: $code) {\n      code merchantName description amount { amount currency } currency status expiresAt singleUse paidCount url reference isStatic\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MerchantRequestLive($code: String!) {\n    paymentRequestUpdated(code: $code) { code status paidCount expiresAt }\n  }\n"): (typeof documents)["\n  subscription MerchantRequestLive($code: String!) {\n    paymentRequestUpdated(code: $code) { code status paidCount expiresAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelPaymentRequest($code: String!) {\n    cancelPaymentRequest(code: $code) { paymentRequest { code status } userErrors { code message } }\n  }\n"): (typeof documents)["\n  mutation CancelPaymentRequest($code: String!) {\n    cancelPaymentRequest(code: $code) { paymentRequest { code status } userErrors { code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MoneyFunding {\n    me {\n      id\n      wallets {\n        id currency status sequence\n        balance { available { amount currency } posted { amount currency } held { amount currency } }\n      }\n    }\n    paymentMethods { id kind display status }\n  }\n"): (typeof documents)["\n  query MoneyFunding {\n    me {\n      id\n      wallets {\n        id currency status sequence\n        balance { available { amount currency } posted { amount currency } held { amount currency } }\n      }\n    }\n    paymentMethods { id kind display status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MoneyFundingList {\n    fundingOperations(first: 10) {\n      edges { node { id kind status amount { amount currency } fee { amount currency } failureMessage createdAt paymentMethod { display } } }\n    }\n  }\n"): (typeof documents)["\n  query MoneyFundingList {\n    fundingOperations(first: 10) {\n      edges { node { id kind status amount { amount currency } fee { amount currency } failureMessage createdAt paymentMethod { display } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MoneyFundingUpdated {\n    fundingUpdated { id status failureMessage updatedAt }\n  }\n"): (typeof documents)["\n  subscription MoneyFundingUpdated {\n    fundingUpdated { id status failureMessage updatedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddFunds($input: AddFundsInput!) {\n    addFunds(input: $input) { funding { id status } userErrors { code message field } }\n  }\n"): (typeof documents)["\n  mutation AddFunds($input: AddFundsInput!) {\n    addFunds(input: $input) { funding { id status } userErrors { code message field } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Withdraw($input: WithdrawInput!) {\n    withdraw(input: $input) { funding { id status } userErrors { code message field } }\n  }\n"): (typeof documents)["\n  mutation Withdraw($input: WithdrawInput!) {\n    withdraw(input: $input) { funding { id status } userErrors { code message field } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NotificationPreferencesView {\n    me { id timeZone }\n    notificationPreferences { kinds { kind label security channels { channel enabled locked } } quietHours { start end timeZone } }\n  }\n"): (typeof documents)["\n  query NotificationPreferencesView {\n    me { id timeZone }\n    notificationPreferences { kinds { kind label security channels { channel enabled locked } } quietHours { start end timeZone } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateNotificationPreferences($input: UpdateNotificationPreferencesInput!) {\n    updateNotificationPreferences(input: $input) {\n      preferences { kinds { kind label security channels { channel enabled locked } } quietHours { start end timeZone } }\n      userErrors { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateNotificationPreferences($input: UpdateNotificationPreferencesInput!) {\n    updateNotificationPreferences(input: $input) {\n      preferences { kinds { kind label security channels { channel enabled locked } } quietHours { start end timeZone } }\n      userErrors { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NotificationsPage($first: Int!, $after: String) {\n    notifications(first: $first, after: $after) {\n      edges { cursor node { ...NotificationItem } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query NotificationsPage($first: Int!, $after: String) {\n    notifications(first: $first, after: $after) {\n      edges { cursor node { ...NotificationItem } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkNotificationsRead($input: MarkNotificationsReadInput) {\n    markNotificationsRead(input: $input) { unreadCount userErrors { code message field } }\n  }\n"): (typeof documents)["\n  mutation MarkNotificationsRead($input: MarkNotificationsReadInput) {\n    markNotificationsRead(input: $input) { unreadCount userErrors { code message field } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PayRequest($code: String!) {\n    paymentRequest(code: $code) { code merchantName description amount { amount currency } currency status expiresAt }\n    me { id wallets { id currency balance { available { amount currency } } } }\n  }\n"): (typeof documents)["\n  query PayRequest($code: String!) {\n    paymentRequest(code: $code) { code merchantName description amount { amount currency } currency status expiresAt }\n    me { id wallets { id currency balance { available { amount currency } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription PayRequestUpdated($code: String!) {\n    paymentRequestUpdated(code: $code) { code status paidCount expiresAt }\n  }\n"): (typeof documents)["\n  subscription PayRequestUpdated($code: String!) {\n    paymentRequestUpdated(code: $code) { code status paidCount expiresAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PayPaymentRequest($input: PayPaymentRequestInput!) {\n    payPaymentRequest(input: $input) {\n      payment { id amount { amount currency } merchantName createdAt requestCode }\n      transaction { id }\n      userErrors { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation PayPaymentRequest($input: PayPaymentRequestInput!) {\n    payPaymentRequest(input: $input) {\n      payment { id amount { amount currency } merchantName createdAt requestCode }\n      transaction { id }\n      userErrors { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PaymentMethods {\n    paymentMethods { id kind display holderName status isDefault bankAccount { verificationAttemptsLeft } }\n  }\n"): (typeof documents)["\n  query PaymentMethods {\n    paymentMethods { id kind display holderName status isDefault bankAccount { verificationAttemptsLeft } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddCard($input: AddCardInput!) {\n    addCard(input: $input) { paymentMethod { id display status } userErrors { code message field } }\n  }\n"): (typeof documents)["\n  mutation AddCard($input: AddCardInput!) {\n    addCard(input: $input) { paymentMethod { id display status } userErrors { code message field } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddBankAccount($input: AddBankAccountInput!) {\n    addBankAccount(input: $input) { paymentMethod { id display status } userErrors { code message field } }\n  }\n"): (typeof documents)["\n  mutation AddBankAccount($input: AddBankAccountInput!) {\n    addBankAccount(input: $input) { paymentMethod { id display status } userErrors { code message field } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifyBankAccount($input: VerifyBankAccountInput!) {\n    verifyBankAccount(input: $input) {\n      paymentMethod { id status bankAccount { verificationAttemptsLeft } }\n      userErrors { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation VerifyBankAccount($input: VerifyBankAccountInput!) {\n    verifyBankAccount(input: $input) {\n      paymentMethod { id status bankAccount { verificationAttemptsLeft } }\n      userErrors { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Profile { me { id email displayName phone mfaEnabled emailVerified phoneVerified } }\n"): (typeof documents)["\n  query Profile { me { id email displayName phone mfaEnabled emailVerified phoneVerified } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) { user { id displayName phone phoneVerified } userErrors { code message field } }\n  }\n"): (typeof documents)["\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) { user { id displayName phone phoneVerified } userErrors { code message field } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input) { revokedSessionCount userErrors { code message field } }\n  }\n"): (typeof documents)["\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input) { revokedSessionCount userErrors { code message field } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecurityStatus { me { id mfaEnabled } }\n"): (typeof documents)["\n  query SecurityStatus { me { id mfaEnabled } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EnrolMfa { enrolMfa { enrolment { qrCode secret } userErrors { code message field } } }\n"): (typeof documents)["\n  mutation EnrolMfa { enrolMfa { enrolment { qrCode secret } userErrors { code message field } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmMfa($input: ConfirmMfaInput!) { confirmMfa(input: $input) { recoveryCodes userErrors { code message field } } }\n"): (typeof documents)["\n  mutation ConfirmMfa($input: ConfirmMfaInput!) { confirmMfa(input: $input) { recoveryCodes userErrors { code message field } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableMfa($input: DisableMfaInput!) { disableMfa(input: $input) { user { id mfaEnabled } userErrors { code message field } } }\n"): (typeof documents)["\n  mutation DisableMfa($input: DisableMfaInput!) { disableMfa(input: $input) { user { id mfaEnabled } userErrors { code message field } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SendWallets {\n    me { id wallets { id currency status balance { available { amount currency } } } }\n  }\n"): (typeof documents)["\n  query SendWallets {\n    me { id wallets { id currency status balance { available { amount currency } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PreviewTransfer($input: PreviewTransferInput!) {\n    previewTransfer(input: $input) {\n      preview {\n        amount { amount currency }\n        fee { amount currency }\n        total { amount currency }\n        riskDecision\n        limitsAfter { kind exceeded remaining { amount currency } limit { amount currency } }\n      }\n      userErrors { code message field }\n    }\n  }\n"): (typeof documents)["\n  query PreviewTransfer($input: PreviewTransferInput!) {\n    previewTransfer(input: $input) {\n      preview {\n        amount { amount currency }\n        fee { amount currency }\n        total { amount currency }\n        riskDecision\n        limitsAfter { kind exceeded remaining { amount currency } limit { amount currency } }\n      }\n      userErrors { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendMoney($input: SendMoneyInput!) {\n    sendMoney(input: $input) {\n      transfer { id status amount { amount currency } counterparty { displayName } }\n      senderWallet { id sequence balance { available { amount currency } posted { amount currency } held { amount currency } } }\n      userErrors { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation SendMoney($input: SendMoneyInput!) {\n    sendMoney(input: $input) {\n      transfer { id status amount { amount currency } counterparty { displayName } }\n      senderWallet { id sequence balance { available { amount currency } posted { amount currency } held { amount currency } } }\n      userErrors { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Sessions {\n    me { id sessions(first: 50) { edges { node { id createdAt lastUsedAt userAgent ip current } } } }\n  }\n"): (typeof documents)["\n  query Sessions {\n    me { id sessions(first: 50) { edges { node { id createdAt lastUsedAt userAgent ip current } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeSession($input: RevokeSessionInput!) {\n    revokeSession(input: $input) { session { id revokedAt } userErrors { code message } }\n  }\n"): (typeof documents)["\n  mutation RevokeSession($input: RevokeSessionInput!) {\n    revokeSession(input: $input) { session { id revokedAt } userErrors { code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      mfaChallenge { challenge }\n      userErrors { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      mfaChallenge { challenge }\n      userErrors { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifyMfa($input: VerifyMfaInput!) {\n    verifyMfa(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation VerifyMfa($input: VerifyMfaInput!) {\n    verifyMfa(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query StatementWallets { me { id timeZone wallets { id currency } } }"): (typeof documents)["query StatementWallets { me { id timeZone wallets { id currency } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StatementView($walletId: ID!, $period: StatementPeriodInput!) {\n    statement(walletId: $walletId, period: $period) {\n      statement {\n        period { month from to timeZone }\n        openingBalance { amount currency }\n        closingBalance { amount currency }\n        totalIn { amount currency }\n        totalOut { amount currency }\n        totalFees { amount currency }\n        lineCount\n      }\n      userErrors { field code message }\n    }\n  }\n"): (typeof documents)["\n  query StatementView($walletId: ID!, $period: StatementPeriodInput!) {\n    statement(walletId: $walletId, period: $period) {\n      statement {\n        period { month from to timeZone }\n        openingBalance { amount currency }\n        closingBalance { amount currency }\n        totalIn { amount currency }\n        totalOut { amount currency }\n        totalFees { amount currency }\n        lineCount\n      }\n      userErrors { field code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StatementLines($walletId: ID!, $period: StatementPeriodInput!, $after: String) {\n    statement(walletId: $walletId, period: $period) {\n      statement {\n        lines(first: 30, after: $after) {\n          edges { node { date counterparty note amount { amount } balanceAfter { amount } } }\n          pageInfo { hasNextPage endCursor }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query StatementLines($walletId: ID!, $period: StatementPeriodInput!, $after: String) {\n    statement(walletId: $walletId, period: $period) {\n      statement {\n        lines(first: 30, after: $after) {\n          edges { node { date counterparty note amount { amount } balanceAfter { amount } } }\n          pageInfo { hasNextPage endCursor }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StatementDownload($walletId: ID!, $period: StatementPeriodInput!, $format: StatementFormat!) {\n    statement(walletId: $walletId, period: $period) {\n      statement { downloadUrl(format: $format) { url expiresAt } }\n      userErrors { code message }\n    }\n  }\n"): (typeof documents)["\n  query StatementDownload($walletId: ID!, $period: StatementPeriodInput!, $format: StatementFormat!) {\n    statement(walletId: $walletId, period: $period) {\n      statement { downloadUrl(format: $format) { url expiresAt } }\n      userErrors { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MonthlyStatements($walletId: ID!) {\n    statements(walletId: $walletId, first: 24) {\n      edges { node { id month statement { closingBalance { amount currency } lineCount } } }\n    }\n  }\n"): (typeof documents)["\n  query MonthlyStatements($walletId: ID!) {\n    statements(walletId: $walletId, first: 24) {\n      edges { node { id month statement { closingBalance { amount currency } lineCount } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TransactionDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Transaction {\n        id amount { amount currency } direction status type note createdAt sequence\n        balanceAfter { amount currency }\n        counterparty { displayName email phone isMerchant }\n        wallet { id currency }\n      }\n    }\n  }\n"): (typeof documents)["\n  query TransactionDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Transaction {\n        id amount { amount currency } direction status type note createdAt sequence\n        balanceAfter { amount currency }\n        counterparty { displayName email phone isMerchant }\n        wallet { id currency }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TransactionDetailUpdated {\n    transactionUpdated { id status balanceAfter { amount currency } sequence }\n  }\n"): (typeof documents)["\n  subscription TransactionDetailUpdated {\n    transactionUpdated { id status balanceAfter { amount currency } sequence }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshSession($input: RefreshSessionInput!) {\n    refreshSession(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshSession($input: RefreshSessionInput!) {\n    refreshSession(input: $input) {\n      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }\n      userErrors { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExportMyData { exportMyData { downloadUrl expiresAt userErrors { code message } } }\n"): (typeof documents)["\n  mutation ExportMyData { exportMyData { downloadUrl expiresAt userErrors { code message } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteMyAccount($input: DeleteMyAccountInput!) {\n    deleteMyAccount(input: $input) { erasedAt userErrors { code message field } }\n  }\n"): (typeof documents)["\n  mutation DeleteMyAccount($input: DeleteMyAccountInput!) {\n    deleteMyAccount(input: $input) { erasedAt userErrors { code message field } }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;